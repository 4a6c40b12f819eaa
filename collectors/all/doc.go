// Package all imports every collector for its side effect of registering
// itself with package collectors. The program imports it once:
//
//	import _ "github.com/earshot/earshot/collectors/all"
//
// Adding a collector is adding its package and one import line here.
package all
