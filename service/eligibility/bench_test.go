package eligibility

import (
	"testing"

	"palmaid/model"
)

// BenchmarkEvaluate: a couple, and the largest household (20 members: the in-household
// supporter rule looks at every pair).
func BenchmarkEvaluate(b *testing.B) {
	p := policy(nil)
	for _, n := range []int{2, MaxMembers} {
		f := Facts{Residence: "urban"}
		rels := []model.Relation{model.RelSelf, model.RelSpouse, model.RelChild, model.RelParent, model.RelSibling}
		for i := 0; i < n; i++ {
			f.Members = append(f.Members, MemberFacts{Relation: rels[min(i, 1+i%4)], BirthDate: []string{"1950-01-01", "1975-06-01", "2012-03-03"}[i%3]})
			f.Income = append(f.Income, wage(i, int64(i)*10000))
		}
		b.Run(map[int]string{2: "couple", MaxMembers: "twenty"}[n], func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := Evaluate(f, p, day); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
