package grafana

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
)

//go:embed dashboards/*.json
var files embed.FS

// Dashboards are the dashboard JSON files, by file name.
func Dashboards() (fs.FS, error) { return fs.Sub(files, "dashboards") }

// Query is one panel's (or annotation's) SQL.
type Query struct {
	Dashboard, Panel string
	// DataSource is the target's data source type.
	DataSource string
	SQL        string
}

type target struct {
	Datasource struct {
		Type string `json:"type"`
	} `json:"datasource"`
	RawSQL string `json:"rawSql"`
}

type dashboardJSON struct {
	UID    string `json:"uid"`
	Panels []struct {
		Title   string   `json:"title"`
		Targets []target `json:"targets"`
	} `json:"panels"`
	Annotations struct {
		List []struct {
			Name   string `json:"name"`
			Target target `json:"target"`
		} `json:"list"`
	} `json:"annotations"`
}

// Queries returns every panel's and annotation's SQL, dashboard by
// dashboard.
func Queries() ([]Query, error) {
	names, err := fs.Glob(files, "dashboards/*.json")
	if err != nil {
		return nil, err
	}
	var out []Query
	for _, name := range names {
		b, err := files.ReadFile(name)
		if err != nil {
			return nil, err
		}
		var d dashboardJSON
		if err := json.Unmarshal(b, &d); err != nil {
			return nil, fmt.Errorf("%s: %w", path.Base(name), err)
		}
		for _, p := range d.Panels {
			for _, t := range p.Targets {
				out = append(out, Query{Dashboard: d.UID, Panel: p.Title, DataSource: t.Datasource.Type, SQL: t.RawSQL})
			}
		}
		for _, a := range d.Annotations.List {
			out = append(out, Query{Dashboard: d.UID, Panel: "annotation " + a.Name, DataSource: a.Target.Datasource.Type, SQL: a.Target.RawSQL})
		}
	}
	return out, nil
}

// Vars are what Grafana substitutes into a query: the time range, the
// interval and the dashboard's variables.
type Vars struct {
	From, To time.Time
	Interval time.Duration
	// Values are the dashboard variables, by name.
	Values map[string]string
}

var (
	macroCall = regexp.MustCompile(`\$__(timeFilter|timeFilter_ms|dateFilter)\(([^()]*)\)`)
	variable  = regexp.MustCompile(`\$\{(\w+)\}|\$(\w+)`)
)

// Expand replaces the ClickHouse plugin's macros as it does ($__timeFilter,
// $__timeFilter_ms, $__dateFilter, $__fromTime, $__toTime, $__interval_s)
// and the dashboard variables (${name}, $name); a macro or variable it does
// not know is an error.
func Expand(sql string, v Vars) (string, error) {
	dt := func(t time.Time) string { return fmt.Sprintf("toDateTime(%d)", t.Unix()) }
	var bad error
	sql = macroCall.ReplaceAllStringFunc(sql, func(m string) string {
		sub := macroCall.FindStringSubmatch(m)
		col := strings.TrimSpace(sub[2])
		switch sub[1] {
		case "timeFilter":
			return fmt.Sprintf("%s >= %s AND %s <= %s", col, dt(v.From), col, dt(v.To))
		case "timeFilter_ms":
			return fmt.Sprintf("%s >= fromUnixTimestamp64Milli(%d) AND %s <= fromUnixTimestamp64Milli(%d)", col, v.From.UnixMilli(), col, v.To.UnixMilli())
		default:
			return fmt.Sprintf("%s >= toDate('%s') AND %s <= toDate('%s')", col, v.From.UTC().Format("2006-01-02"), col, v.To.UTC().Format("2006-01-02"))
		}
	})
	seconds := max(int(v.Interval.Seconds()), 1)
	sql = strings.NewReplacer(
		"$__fromTime_ms", fmt.Sprintf("fromUnixTimestamp64Milli(%d)", v.From.UnixMilli()),
		"$__toTime_ms", fmt.Sprintf("fromUnixTimestamp64Milli(%d)", v.To.UnixMilli()),
		"$__fromTime", dt(v.From),
		"$__toTime", dt(v.To),
		"$__interval_s", strconv.Itoa(seconds),
	).Replace(sql)
	sql = variable.ReplaceAllStringFunc(sql, func(m string) string {
		sub := variable.FindStringSubmatch(m)
		name := sub[1] + sub[2]
		val, ok := v.Values[name]
		if !ok {
			bad = fmt.Errorf("unknown macro or variable %s", m)
		}
		return val
	})
	if bad != nil {
		return "", bad
	}
	return sql, nil
}
