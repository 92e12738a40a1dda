package policyadmin

import (
	"encoding/json"
	"testing"

	"palmaid/model"
)

// Every setting's value survives the trip to typed JSON and back (the GET answer can be sent
// back as a PUT).
func TestEncodeDecodeRoundTrip(t *testing.T) {
	samples := map[model.SettingType][]string{
		model.TypeInteger: {"0", "3", "24"}, model.TypeCents: {"0", "85000", "10000000000"},
		model.TypeRatio: {"1", "1.5", "1.25", "1.305"}, model.TypeBool: {"true", "false"},
		model.TypeTiers: {"", "1000:250", "300:1000,600:700,1000:400"}, model.TypeMonths: {"1,2,3", "0", "1,1,2,3,24"},
	}
	for _, spec := range model.Settings() {
		values := append([]string{spec.Default}, samples[spec.Type]...)
		if spec.Type == model.TypeEnum {
			values = spec.Options
		}
		for _, raw := range values {
			if !spec.Valid(raw) {
				continue // outside this setting's range
			}
			b, err := json.Marshal(Encode(spec, raw))
			if err != nil {
				t.Fatal(err)
			}
			back, e := Decode(spec, b)
			if e != nil || back == nil || *back != raw {
				t.Errorf("%s: %q → %s → %v %v", spec.Key, raw, b, back, e)
			}
		}
	}
}

func TestDecodeRefusals(t *testing.T) {
	spec := func(k model.SettingKey) model.SettingSpec { s, _ := model.SettingByKey(k); return s }
	for _, c := range []struct {
		key  model.SettingKey
		in   string
		kind model.Kind
	}{
		{model.SetStandardCents, `"85000"`, model.KindInvalid},
		{model.SetStandardCents, `-1`, model.KindUnprocessable},
		{model.SetStandardCents, `1.5`, model.KindUnprocessable},
		{model.SetStandardCents, `1e3`, model.KindUnprocessable},
		{model.SetStandardCents, `85000 1`, model.KindInvalid},
		{model.SetEdgeMultiplier, `0.9`, model.KindUnprocessable},
		{model.SetEdgeMultiplier, `"1.5"`, model.KindInvalid},
		{model.SetDemocraticEval, `"true"`, model.KindInvalid},
		{model.SetDemocraticEval, `1`, model.KindInvalid},
		{model.SetAmountMethod, `"steps"`, model.KindUnprocessable},
		{model.SetAmountTiers, `[{"ceilPermille":300,"amountPermille":500}]`, model.KindUnprocessable},
		{model.SetAmountTiers, `[{"ceil":300}]`, model.KindInvalid},
		{model.SetTemporaryTiers, `[]`, model.KindUnprocessable},
		{model.SetTemporaryTiers, `[1,2,3,4,5,6]`, model.KindUnprocessable},
		{model.SetPaymentDay, `29`, model.KindUnprocessable},
	} {
		v, err := Decode(spec(c.key), json.RawMessage(c.in))
		if err == nil || err.Kind != c.kind || err.Fields["values."+string(c.key)] == "" {
			t.Errorf("%s = %s: %v %v, want kind %d naming the field", c.key, c.in, v, err, c.kind)
		}
	}
	if v, err := Decode(spec(model.SetStandardCents), json.RawMessage(`null`)); v != nil || err != nil {
		t.Errorf("null: %v %v", v, err)
	}
}

// Decode never panics, and whatever it accepts is a valid stored value.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{`85000`, `1.5`, `true`, `"town"`, `[1,2,3]`, `[{"ceilPermille":1000,"amountPermille":1}]`, `null`, `{`, `""`} {
		f.Add(s)
	}
	specs := model.Settings()
	f.Fuzz(func(t *testing.T, in string) {
		for _, spec := range specs {
			v, err := Decode(spec, json.RawMessage(in))
			if err == nil && v != nil && !spec.Valid(*v) {
				t.Fatalf("%s accepted %q as %q", spec.Key, in, *v)
			}
		}
	})
}
