package pdfscan

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"strings"
	"testing"

	dt "palmaid/service/documents/doctest"
)

func lexAll(t *testing.T, src string) []token {
	t.Helper()
	s := &scanner{lim: DefaultLimits()}
	l := &lexer{data: []byte(src), s: s, onText: func([]byte) error { return nil }}
	var out []token
	for {
		tk, err := l.next()
		if err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		if tk.kind == tEOF {
			return out
		}
		out = append(out, tk)
	}
}

func TestNamesAreDecoded(t *testing.T) {
	got := lexAll(t, "/#4aava#53cript/J#53 /A#41/a#2Fb /x#zz /#20 /")
	want := []string{"JavaScript", "JS", "AA", "a/b", "x#zz", " ", ""}
	if len(got) != len(want) {
		t.Fatalf("%d tokens: %v", len(got), got)
	}
	for i, w := range want {
		if got[i].kind != tName || string(got[i].val) != w {
			t.Errorf("token %d: %v %q, want name %q", i, got[i].kind, got[i].val, w)
		}
	}
}

func TestStringsAreDecoded(t *testing.T) {
	for src, want := range map[string]string{
		`(a(b)c)`:            "a(b)c",
		`(\(\)\\\n\r\t\b\f)`: "()\\\n\r\t\b\f",
		`(\101\1011\7)`:      "AA1\a",
		"(a\\\r\nb\\\nc)":    "abc",
		`(\q)`:               "q",
		`<4a 53>`:            "JS",
		`<4a5>`:              "JP",
		`<>`:                 "",
	} {
		got := lexAll(t, src)
		if len(got) != 1 || got[0].kind != tString || string(got[0].val) != want {
			t.Errorf("%s: %v, want %q", src, got, want)
		}
	}
	for _, bad := range []string{"(never ends", "<4a", "<4x>", ")", "}", "> x"} {
		s := &scanner{lim: DefaultLimits()}
		l := &lexer{data: []byte(bad), s: s, onText: func([]byte) error { return nil }}
		var err error
		for err == nil {
			var tk token
			if tk, err = l.next(); tk.kind == tEOF && err == nil {
				break
			}
		}
		if ReasonOf(err) != Malformed {
			t.Errorf("%q: %v, want malformed", bad, err)
		}
	}
}

func TestNumbersAndKeywords(t *testing.T) {
	got := lexAll(t, "12 -3 +4 1.5 .5 -.25 4. 1.2.3 R obj --1")
	kinds := []kind{tInt, tInt, tInt, tReal, tReal, tReal, tReal, tKeyword, tKeyword, tKeyword, tKeyword}
	for i, k := range kinds {
		if got[i].kind != k {
			t.Errorf("token %d %q: kind %d, want %d", i, got[i].val, got[i].kind, k)
		}
	}
}

// Every file of the hostile corpus that is a PDF gets its reason (and, for active content,
// the name that was found — so the scan refused it for the right reason).
func TestCheckHostilePDFs(t *testing.T) {
	reasons := map[string]Reason{"document.pdf_active_content": Active, "document.unreadable": Malformed,
		"document.pdf_encrypted": Encrypted, "document.pdf_too_complex": TooComplex}
	names := map[string]string{
		"js-hex-escaped-names.pdf": "JavaScript", "js-hex-escaped-in-aa.pdf": "AA", "js-in-objstm.pdf": "JavaScript",
		"embedded-files.pdf": "EmbeddedFiles", "submit-form.pdf": "SubmitForm", "xfa.pdf": "XFA",
		"js-escaped-in-objstm-aa.pdf": "AA", "js-objstm-png-predictor.pdf": "JavaScript", "js-objstm-ascii85.pdf": "JavaScript",
		"js-objstm-untyped.pdf": "JavaScript", "js-names-tree.pdf": "JavaScript", "launch.pdf": "Launch",
		"gotor-unc.pdf": "GoToR", "uri-file.pdf": "URI", "uri-javascript-hex.pdf": "URI", "rich-media.pdf": "RichMedia",
	}
	corpus, err := dt.HostileCorpus()
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range corpus {
		if !strings.HasSuffix(h.File, ".pdf") || h.File == "truncated.pdf" { // truncated: refused before the scan (no %%EOF)
			continue
		}
		t.Run(h.File, func(t *testing.T) {
			err := Check(h.Data, DefaultLimits())
			if ReasonOf(err) != reasons[h.Code] {
				t.Fatalf("%v, want reason %d", err, reasons[h.Code])
			}
			if want := names[h.File]; want != "" {
				if e := err.(*Error); e.Name != want {
					t.Fatalf("refused for /%s, want /%s", e.Name, want)
				}
			}
		})
	}
}

// A clean object stream is read under every encoding the hostile ones use: the decoders and the
// predictor give back the objects (a wrong decode would not parse).
func TestCleanObjectStreamsUnderEveryEncoding(t *testing.T) {
	for name, enc := range map[string]dt.ObjStmEncoding{"flate": dt.FlateObjStm, "png predictor": dt.PNGPredicted,
		"ascii85+flate": dt.ASCII85Flate, "untyped": dt.UntypedObjStm} {
		if err := Check(dt.BuildPDFObjStm(dt.PageObjects("/Lang (zh-CN) ", ""), enc), DefaultLimits()); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for name, pdf := range map[string][]byte{"links": dt.FixturePDFLinks(), "minimal": dt.FixturePDF()} {
		if err := Check(pdf, DefaultLimits()); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestEveryDeniedNameAsKeyAndValue(t *testing.T) {
	for n := range denied {
		for _, form := range []string{"/X /%s", "/%s 1", "/X [/%s]"} {
			pdf := dt.BuildPDF(dt.PageObjects(fmt.Sprintf(form, n)+" ", ""), "")
			if err := Check(pdf, DefaultLimits()); ReasonOf(err) != Active {
				t.Errorf("%s in %q: %v", n, form, err)
			}
		}
	}
	// a name only matches whole, and the links a document carries pass
	for _, ok := range []string{"/JSON 1", "/AAA 1", "/X /EFF", "/URI (HTTPS://example.cn)", "/URI ( mailto:a@b.cn)"} {
		if err := Check(dt.BuildPDF(dt.PageObjects(ok+" ", ""), ""), DefaultLimits()); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	// a filter by reference: an ordinary stream is left undecoded, an object stream refused
	objs := append(dt.PageObjects("", "/Contents 4 0 R "), dt.Stream("/Filter 5 0 R ", []byte("x")), "/FlateDecode")
	if err := Check(dt.BuildPDF(objs, ""), DefaultLimits()); err != nil {
		t.Errorf("indirect /Filter on a content stream: %v", err)
	}
	objs = append(dt.PageObjects("", ""), dt.Stream("/Type /ObjStm /N 1 /First 4 /Filter 5 0 R ", []byte("x")), "/FlateDecode")
	if err := Check(dt.BuildPDF(objs, ""), DefaultLimits()); ReasonOf(err) != Malformed {
		t.Errorf("indirect /Filter on an object stream: %v", err)
	}
	for _, bad := range []string{"/URI 5 0 R", "/URI (\\\\\\\\host\\\\share)", "/URI (smb://host/x)", "/URI /http"} {
		if err := Check(dt.BuildPDF(dt.PageObjects(bad+" ", ""), ""), DefaultLimits()); ReasonOf(err) != Active {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

func TestBudgets(t *testing.T) {
	pdf := dt.FixturePDFObjStm()
	for name, lim := range map[string]Limits{
		"tokens":        {Inflate: 1 << 30, ObjStm: 1 << 30, Tokens: 20, Depth: 64},
		"object stream": {Inflate: 1 << 30, ObjStm: 50, Tokens: 1 << 30, Depth: 64},
		"inflate":       {Inflate: 50, ObjStm: 1 << 30, Tokens: 1 << 30, Depth: 64},
		"depth":         {Inflate: 1 << 30, ObjStm: 1 << 30, Tokens: 1 << 30, Depth: 1},
	} {
		if err := Check(pdf, lim); ReasonOf(err) != TooComplex {
			t.Errorf("%s: %v", name, err)
		}
	}
	// the same object listed a million times in the header costs tokens, not time
	head := strings.Repeat("1 0 ", 200_000)
	c := head + "[" + strings.Repeat("0 ", 1000) + "]"
	many := dt.BuildPDF(append(dt.PageObjects("", ""),
		dt.Stream(fmt.Sprintf("/Type /ObjStm /Filter /FlateDecode /N 200000 /First %d ", len(head)), dt.Zlib([]byte(c)))), "")
	if err := Check(many, DefaultLimits()); ReasonOf(err) != TooComplex {
		t.Errorf("repeated offsets: %v", err)
	}
}

// The decoders, each against a hand-made input.
func TestDecoders(t *testing.T) {
	png := []byte{
		0, 1, 2, 3, // None
		1, 1, 1, 1, // Sub: 1, 2, 3
		2, 1, 1, 1, // Up: 2, 3, 4
		3, 2, 2, 2, // Average: (0+2)/2+2=3, (3+3)/2+2=5, (5+4)/2+2=6
		4, 1, 1, 1, // Paeth: a=0,b=3,c=0 → b: 4; a=4,b=5,c=3 → p=6 → b (5): 6; a=6,b=6,c=5 → p=7 → a/b: 7
	}
	p := value{kind: tDictOpen, dict: map[string]value{"Predictor": {kind: tInt, num: 12}, "Columns": {kind: tInt, num: 3}}}
	got, err := unpredict(png, p)
	want := []byte{1, 2, 3, 1, 2, 3, 2, 3, 4, 3, 5, 6, 4, 6, 7}
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("PNG predictor: %v %v, want %v", got, err, want)
	}
	tiff := value{kind: tDictOpen, dict: map[string]value{"Predictor": {kind: tInt, num: 2}, "Columns": {kind: tInt, num: 3}}}
	if got, err := unpredict([]byte{1, 1, 1, 5, 0, 0}, tiff); err != nil || !bytes.Equal(got, []byte{1, 2, 3, 5, 5, 5}) {
		t.Errorf("TIFF predictor: %v %v", got, err)
	}
	for name, tc := range map[string]struct {
		filters []string
		in      string
		want    string
	}{
		"hex":        {[]string{"AHx"}, "4a 53\n4>", "JS@"},
		"ascii85":    {[]string{"A85"}, "9jqo^~>", "Man "},
		"run length": {[]string{"RL"}, "\x02abc\xfdz\x80ignored", "abczzzz"},
		"flate":      {[]string{"FlateDecode"}, string(dt.Zlib([]byte("obj"))), "obj"},
	} {
		r, err := reader([]byte(tc.in), tc.filters)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(r)
		if string(b) != tc.want {
			t.Errorf("%s: %q, want %q", name, b, tc.want)
		}
	}
	var raw bytes.Buffer // raw deflate without the zlib header, as some writers store it
	zw, _ := zlib.NewWriterLevel(&raw, 9)
	_, _ = zw.Write([]byte("hello"))
	_ = zw.Close()
	r, _ := reader(raw.Bytes()[2:], []string{"FlateDecode"})
	if b, _ := io.ReadAll(r); string(b) != "hello" {
		t.Errorf("raw deflate: %q", b)
	}
	if _, err := reader(nil, []string{"LZWDecode"}); err != errUnsupported {
		t.Errorf("LZW: %v", err)
	}
}

func TestHiddenObjects(t *testing.T) {
	for s, hidden := range map[string]bool{"12 0 obj": true, "x 1\n0\tobj<<": true, "0 obj": false, "a0 0 obj": true /* conservative */, "1 0obj": false, "object": false, "2 3 objects": false, "2 3 obj_": false, "2 3 obj#": true, "2 3 obj": true} {
		if got := hiddenObject([]byte(s)) != nil; got != hidden {
			t.Errorf("%q: hidden %v, want %v", s, got, hidden)
		}
	}
}
