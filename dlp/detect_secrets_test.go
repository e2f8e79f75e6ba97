package dlp

import (
	"encoding/base64"
	"strings"
	"testing"
)

func jwtOf(header, payload string) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(header)) + "." + enc([]byte(payload)) + "." + "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
}

func TestCredentialDetectors(t *testing.T) {
	t.Parallel()
	jwt := jwtOf(`{"alg":"HS256","typ":"JWT"}`, `{"sub":"42"}`)
	noAlg := jwtOf(`{"typ":"JWT"}`, `{"sub":"42"}`)
	pem := "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\n-----END RSA PRIVATE KEY-----"
	ghp := "ghp_" + strings.Repeat("aB3", 12)
	pat := "github_pat_" + strings.Repeat("A1b", 8) + "_" + strings.Repeat("Zz9", 20)
	slack := "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"
	runDetCases(t, []detCase{
		{"aws_access_key", "key AKIAIOSFODNN7EXAMPLE here", "AKIAIOSFODNN7EXAMPLE"},
		{"aws_access_key", "ASIAY34FZKBOKMUTVV7A", "ASIAY34FZKBOKMUTVV7A"},
		{"aws_access_key", "AKIAIOSFODNN7EXAMPL", ""},
		{"aws_access_key", "AKIAIOSFODNN7EXAMPLE1", ""},
		{"aws_access_key", "akiaiosfodnn7example", ""},
		{"aws_access_key", "AIDAIOSFODNN7EXAMPLE", ""},
		{"aws_secret_key", "aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
		{"aws_secret_key", "secret: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
		{"aws_secret_key", "commit wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""},
		{"aws_secret_key", "aws sha 9fceb02d0ae598e95dc970b74767f19372d61af8", ""},
		{"aws_secret_key", "aws key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEYX", ""},
		{"private_key", "key:\n" + pem + "\nthanks", pem},
		{"private_key", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE"},
		{"private_key", "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEF\n-----END PUBLIC KEY-----", ""},
		{"private_key", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----", ""},
		{"jwt", "Bearer " + jwt + " sent", jwt},
		{"jwt", "token " + noAlg, ""},
		{"jwt", "eyJhbGciOiJIUzI1NiJ9 alone", ""},
		{"jwt", "eyJub3Rqc29u.eyJzdWIiOiI0MiJ9.sig", ""},
		{"github_token", "token " + ghp + ".", ghp},
		{"github_token", pat, pat},
		{"github_token", "ghp_short123", ""},
		{"github_token", "ghx_" + strings.Repeat("aB3", 12), ""},
		{"slack_token", "bot " + slack, slack},
		{"slack_token", "xoxb-not-a-token", ""},
		{"slack_token", "xoxq-123456789012-1234567890123-AbCdEf", ""},
		{"high_entropy_secret", `DB_PASSWORD="p9X!vQ2#rT7zL4mK8wN1sB6yH3dF0jG5"`, "p9X!vQ2#rT7zL4mK8wN1sB6yH3dF0jG5"},
		{"high_entropy_secret", `{"client_secret": "Qm9vZ2xlU2VjcmV0S2V5MTIzNDU2Nzg5MA"}`, "Qm9vZ2xlU2VjcmV0S2V5MTIzNDU2Nzg5MA"},
		{"high_entropy_secret", "Authorization: Bearer 8f3KqL2mZx9Vb7Nc4Rt6Yw1Hs5Jd0Pe", "8f3KqL2mZx9Vb7Nc4Rt6Yw1Hs5Jd0Pe"},
		{"high_entropy_secret", `apiToken := "8f3KqL2mZx9Vb7Nc4Rt6Yw1Hs5Jd0Pe"`, "8f3KqL2mZx9Vb7Nc4Rt6Yw1Hs5Jd0Pe"},
		{"high_entropy_secret", "password: correcthorsebatterystaple", ""},
		{"high_entropy_secret", "api_key=YOUR_API_KEY_GOES_HERE_PLEASE_1", ""},
		{"high_entropy_secret", "token = hs.masterSecret.ClientApplicationTrafficSecret(x)", ""},
		{"high_entropy_secret", "if token == 8f3KqL2mZx9Vb7Nc4Rt6Yw1Hs5Jd0Pe {", ""},
		{"high_entropy_secret", "note=8f3KqL2mZx9Vb7Nc4Rt6Yw1Hs5Jd0Pe", ""},
		{"high_entropy_secret", "password: short1A", ""},
	})
}

// A generic secret matched by a specific credential detector is reported
// once, by the specific detector.
func TestSpecificCredentialWins(t *testing.T) {
	t.Parallel()
	s := New(Config{})
	text := "GITHUB_TOKEN=ghp_" + strings.Repeat("aB3", 12)
	got := detectors(s.Scan(text))
	if len(got) != 1 || got[0] != "github_token" {
		t.Fatalf("detectors %v, want [github_token]", got)
	}
}
