package sh

import "testing"

func BenchmarkRunaway(b *testing.B) {
	for i := 0; i < b.N; i++ {
		e := newEnv()
		p := Start([]string{"sh", "-c", "while true;do echo SD K;slSS O; done"}, nil, e)
		p.Run()
		p.Output()
	}
}

func BenchmarkCountLoop(b *testing.B) {
	for i := 0; i < b.N; i++ {
		e := newEnv()
		p := Start([]string{"sh", "-c", "i=0; while [ $i -lt 1000000 ]; do i=$((i+1)); done"}, nil, e)
		p.Run()
	}
}
