package identity

import (
	"errors"
	"math/big"
	"testing"
)

func TestSerialString(t *testing.T) {
	t.Parallel()
	big128, _ := new(big.Int).SetString("3a0fc200000000000000000000000001", 16)
	tests := []struct {
		in   *big.Int
		want string
	}{
		{nil, ""},
		{big.NewInt(0), "00"},
		{big.NewInt(1), "01"},
		{big.NewInt(255), "ff"},
		{big.NewInt(256), "01:00"},
		{big.NewInt(0x3a0f), "3a:0f"},
		{big.NewInt(-0x3a0f), "-3a:0f"},
		{big128, "3a:0f:c2:00:00:00:00:00:00:00:00:00:00:00:00:01"},
	}
	for _, tt := range tests {
		if got := SerialString(tt.in); got != tt.want {
			t.Errorf("SerialString(%v) = %q, want %q", tt.in, got, tt.want)
		}
		if got := SerialString(tt.in); got != tt.want {
			t.Errorf("SerialString(%v) not deterministic: %q", tt.in, got)
		}
	}
}

func TestNormalizeSerial(t *testing.T) {
	t.Parallel()
	good := map[string]string{
		"3a:0f":    "3a:0f",
		" 3A:0F ":  "3a:0f",
		"00":       "00",
		"-01:ff":   "-01:ff",
		"de:ad:be": "de:ad:be",
	}
	for in, want := range good {
		got, err := normalizeSerial(in)
		if err != nil || got != want {
			t.Errorf("normalizeSerial(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "3", "3a0f", "3a:", ":3a", "zz:00", "3a-0f"} {
		if _, err := normalizeSerial(in); !errors.Is(err, ErrBadSerial) {
			t.Errorf("normalizeSerial(%q) = %v, want ErrBadSerial", in, err)
		}
	}
}
