package lang

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
)

// samples are tweet-like texts written for these tests (none is taken from
// the training corpus), with the language they are in.
var samples = []struct{ lang, text string }{
	{"en", "@acme your app has been down for two hours and support keeps telling me to restart my phone 🙄 https://t.co/x1 #fail"},
	{"en", "Just got my refund after three weeks, thanks for nothing I guess"},
	{"en", "Honestly loving the new update, the dark mode looks great 😍"},
	{"en", "is anyone else unable to log in right now? #outage"},
	{"es", "@acme_es llevo dos días sin internet y nadie me da una solución 😡 #pésimoservicio"},
	{"es", "Por fin me devolvieron el dinero, gracias por la ayuda chicos"},
	{"es", "¿Alguien más tiene problemas con la app? No me deja entrar desde ayer"},
	{"es", "el pedido llegó tarde otra vez, ya no sé qué hacer con esta empresa https://t.co/ab"},
	{"fr", "@acme_fr ça fait trois jours que je n'ai plus de connexion, c'est inadmissible 😤"},
	{"fr", "Merci beaucoup pour votre aide, le problème est enfin réglé !"},
	{"fr", "Quelqu'un d'autre n'arrive pas à se connecter à l'appli ce soir ? #panne"},
	{"fr", "livraison encore en retard, je vais finir par changer de fournisseur"},
	{"de", "@acme_de seit gestern geht gar nichts mehr, wann wird das endlich behoben? 😠"},
	{"de", "Vielen Dank für die schnelle Hilfe, jetzt funktioniert alles wieder!"},
	{"de", "Hat noch jemand Probleme beim Einloggen? Die App zeigt nur einen Fehler an"},
	{"de", "Die Lieferung ist schon wieder zu spät, ich kündige meinen Vertrag https://acme.de/x"},
	{"pt", "@acme_br estou sem internet há dois dias e ninguém resolve nada 😡 #descaso"},
	{"pt", "Finalmente recebi meu reembolso, obrigado pela ajuda pessoal"},
	{"pt", "Mais alguém não consegue entrar no aplicativo? Desde ontem dá erro"},
	{"pt", "a encomenda chegou atrasada outra vez, já não sei o que fazer com vocês"},
	{"it", "@acme_it sono senza connessione da due giorni e nessuno mi aiuta 😡 #vergogna"},
	{"it", "Finalmente mi hanno rimborsato, grazie mille per l'aiuto ragazzi"},
	{"it", "Qualcun altro non riesce ad accedere all'app? Da ieri mi dà errore"},
	{"it", "la consegna è arrivata in ritardo un'altra volta, non so più cosa fare"},
	{"nl", "@acme_nl ik heb al twee dagen geen internet en niemand lost het op 😡"},
	{"nl", "Eindelijk mijn geld terug gekregen, bedankt voor de hulp!"},
	{"nl", "Heeft iemand anders ook problemen met inloggen? De app geeft steeds een foutmelding"},
	{"nl", "de bezorging is weer te laat, ik weet echt niet meer wat ik moet doen"},
	{"sv", "@acme_se jag har inte haft internet på två dagar och ingen hjälper mig 😡"},
	{"sv", "Äntligen fick jag tillbaka pengarna, tack för hjälpen!"},
	{"sv", "Är det någon mer som inte kan logga in i appen? Det har varit fel sedan igår"},
	{"pl", "@acme_pl od dwóch dni nie mam internetu i nikt mi nie pomaga 😡"},
	{"pl", "W końcu dostałem zwrot pieniędzy, dziękuję za pomoc!"},
	{"pl", "Czy ktoś jeszcze nie może się zalogować do aplikacji? Od wczoraj pokazuje błąd"},
	{"tr", "@acme_tr iki gündür internetim yok ve kimse yardımcı olmuyor 😡"},
	{"tr", "Sonunda paramı geri aldım, yardımınız için teşekkürler!"},
	{"tr", "Uygulamaya giriş yapamayan başka biri var mı? Dünden beri hata veriyor"},
	{"id", "@acme_id sudah dua hari internet saya mati dan tidak ada yang bantu 😡"},
	{"id", "Akhirnya uang saya dikembalikan, terima kasih atas bantuannya!"},
	{"id", "Ada yang lain juga tidak bisa login ke aplikasinya? Dari kemarin error terus"},
	{"vi", "@acme_vn mạng nhà tôi bị mất hai ngày rồi mà không ai giúp cả 😡"},
	{"vi", "Cuối cùng cũng được hoàn tiền, cảm ơn mọi người đã hỗ trợ!"},
	{"ru", "@acme_ru второй день нет интернета, и никто не может помочь 😡"},
	{"ru", "Наконец-то вернули деньги, спасибо за помощь!"},
	{"uk", "@acme_ua вже другий день немає інтернету, і ніхто не допомагає"},
	{"uk", "Нарешті повернули гроші, дякую за допомогу!"},
	{"ar", "@acme_ar الإنترنت مقطوع منذ يومين ولا أحد يساعدني 😡"},
	{"ar", "أخيرا استرجعت أموالي، شكرا على المساعدة"},
	{"fa", "دو روز است که اینترنت ندارم و هیچ کس کمک نمی کند"},
	{"ja", "@acme_jp 二日前からネットが繋がらないし、誰も助けてくれない😡"},
	{"ja", "やっと返金してもらえた、サポートの皆さんありがとう！"},
	{"ja", "iPhoneのアプリにログインできないのは私だけ？ #障害"},
	{"zh", "@acme_cn 已经两天没有网络了，客服也不回复😡"},
	{"zh", "终于收到退款了，谢谢客服的帮助！"},
	{"ko", "@acme_kr 이틀째 인터넷이 안 되는데 아무도 도와주지 않아요 😡"},
	{"ko", "드디어 환불 받았어요, 도와주셔서 감사합니다!"},
	{"el", "Δεν έχω ίντερνετ εδώ και δύο μέρες και κανείς δεν βοηθάει"},
	{"he", "אין לי אינטרנט כבר יומיים ואף אחד לא עוזר"},
	{"hi", "दो दिन से इंटरनेट नहीं चल रहा और कोई मदद नहीं कर रहा"},
	{"th", "อินเทอร์เน็ตใช้ไม่ได้มาสองวันแล้ว ไม่มีใครช่วยเลย"},
}

func TestDetectSamples(t *testing.T) {
	right := map[string]int{}
	total := map[string]int{}
	for _, s := range samples {
		got, conf := Detect(s.text)
		total[s.lang]++
		if got == s.lang {
			right[s.lang]++
		} else {
			t.Logf("%s detected as %s (%.2f): %q", s.lang, got, conf, s.text)
		}
	}
	var langs []string
	sum := 0
	for l := range total {
		langs = append(langs, l)
		sum += right[l]
	}
	sort.Strings(langs)
	var b strings.Builder
	for _, l := range langs {
		fmt.Fprintf(&b, " %s %d/%d", l, right[l], total[l])
	}
	acc := float64(sum) / float64(len(samples))
	t.Logf("accuracy %d/%d = %.3f:%s", sum, len(samples), acc, b.String())
	if acc < 0.95 {
		t.Errorf("accuracy %.3f, want at least 0.95", acc)
	}
}

// shortSamples are two- to four-word texts, where "und" is an acceptable
// answer but a wrong language is not.
var shortSamples = []struct{ lang, text string }{
	{"en", "site down again"}, {"en", "worst customer service ever"}, {"en", "thank you so much!!"},
	{"es", "no funciona nada"}, {"es", "muchas gracias 🙏"}, {"es", "qué vergüenza de servicio"},
	{"pt", "não funciona nada"}, {"pt", "muito obrigado 🙏"}, {"pt", "que vergonha de atendimento"},
	{"it", "non funziona niente"}, {"it", "grazie mille 🙏"}, {"it", "che vergogna di servizio"},
	{"fr", "ça marche pas"}, {"fr", "merci beaucoup 🙏"}, {"fr", "service client nul"},
	{"de", "geht wieder nicht"}, {"de", "danke schön 🙏"}, {"de", "der Kundenservice ist eine Katastrophe"},
	{"nl", "werkt weer niet"}, {"nl", "heel erg bedankt"}, {"nl", "de klantenservice is een ramp"},
	{"sv", "funkar inte igen"}, {"sv", "tack så mycket"}, {"pl", "znowu nie działa"}, {"pl", "dziękuję bardzo"},
	{"tr", "yine çalışmıyor"}, {"tr", "çok teşekkürler"}, {"id", "tidak bisa dibuka lagi"}, {"id", "terima kasih banyak"},
}

func TestDetectShort(t *testing.T) {
	right, und := 0, 0
	for _, s := range shortSamples {
		switch got, conf := Detect(s.text); got {
		case s.lang:
			right++
		case Und:
			und++
		default:
			t.Errorf("%s detected as %s (%.2f): %q", s.lang, got, conf, s.text)
		}
	}
	t.Logf("short texts: %d/%d right, %d und", right, len(shortSamples), und)
	if right*10 < len(shortSamples)*8 {
		t.Errorf("only %d/%d short texts detected", right, len(shortSamples))
	}
}

func TestDetectUnd(t *testing.T) {
	for _, text := range []string{
		"",
		"ok",
		"lol",
		"+1",
		"😂😂😂🔥",
		"@acme @support https://t.co/abc #fail #outage",
		"12:45 2024-05-01 #42",
		"!!!???...",
		"好",
		"Acme",
	} {
		if got, conf := Detect(text); got != Und || conf != 0 {
			t.Errorf("Detect(%q) = %s, %.2f; want und, 0", text, got, conf)
		}
	}
}

func TestDetectIgnoresSocialMarkup(t *testing.T) {
	// The mentions, hashtags and URL are English words; the text is Spanish.
	text := "@TheBestSupport #NotWorkingAgain https://www.example.com/the-page-is-down no funciona nada desde esta mañana"
	if got, _ := Detect(text); got != "es" {
		t.Errorf("Detect(%q) = %s, want es", text, got)
	}
}

func TestDetectMixedScript(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"Landed in Tokyo and the hotel wifi is broken again, 最悪", "en"},
		{"新しいiPhoneのバッテリーがすぐ切れる、Apple Storeに行くしかない", "ja"},
		{"Очень жду новый MacBook, но доставка опять задерживается", "ru"},
		{"오늘 Netflix 또 안 돼요, 계속 로딩만 하고 있어요", "ko"},
	} {
		got, conf := Detect(tc.text)
		if got != tc.want {
			t.Errorf("Detect(%q) = %s (%.2f), want %s", tc.text, got, conf, tc.want)
		}
		if conf <= 0 || conf > 1 {
			t.Errorf("Detect(%q) confidence %.2f outside (0, 1]", tc.text, conf)
		}
	}
}

func TestDetectInvalidUTF8(t *testing.T) {
	for _, text := range []string{
		"\xff\xfe\xfd",
		"the app is down again \xc3\x28 and nobody answers",
		"\xe2\x82",
		"@\xff #\xfe http://\xff",
		strings.Repeat("\x80", 100),
	} {
		code, conf := Detect(text) // must not panic
		if (code == Und) != (conf == 0) {
			t.Errorf("Detect(%q) = %s, %.2f: und goes with 0 and only with it", text, code, conf)
		}
	}
}

func TestDetectConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for _, s := range samples {
				Detect(s.text)
			}
		})
	}
	wg.Wait()
}

func TestDetectDoesNotAllocate(t *testing.T) {
	text := samples[0].text
	Detect(text)
	if n := testing.AllocsPerRun(100, func() { Detect(text) }); n != 0 {
		t.Errorf("Detect allocates %.0f times per call", n)
	}
}

func TestLanguages(t *testing.T) {
	langs := Languages()
	if len(langs) < 15 {
		t.Errorf("Languages() = %d codes, want at least 15", len(langs))
	}
	seen := map[string]bool{}
	for _, l := range langs {
		if len(l) != 2 || seen[l] {
			t.Errorf("bad or repeated code %q", l)
		}
		seen[l] = true
	}
}

func BenchmarkDetect(b *testing.B) {
	// About 20 words, as a tweet.
	text := "@acme your app has been down for two hours and support keeps telling me to restart my phone, this is ridiculous https://t.co/x #fail"
	Detect(text)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Detect(text)
	}
}

func BenchmarkDetectSamples(b *testing.B) {
	Detect("")
	for b.Loop() {
		for _, s := range samples {
			Detect(s.text)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(samples)), "ns/text")
}

func TestDetectUnmodelledLatin(t *testing.T) {
	// Czech: letters no modelled language has. (A Czech text with only one
	// such letter still gets a low-confidence guess.)
	for _, text := range []string{
		"Už třetí den nefunguje připojení a podpora vůbec neodpovídá",
		"Děkuji za rychlou pomoc, všechno už zase funguje",
		"Objednávka přišla pozdě a krabice byla poškozená",
		"Aplikace mi pořád padá, když se chci přihlásit",
	} {
		if got, conf := Detect(text); got != Und {
			t.Errorf("Detect(%q) = %s (%.2f), want und", text, got, conf)
		}
	}
}
