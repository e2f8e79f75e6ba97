package dlp

import "testing"

func TestContactDetectors(t *testing.T) {
	t.Parallel()
	runDetCases(t, []detCase{
		{"email", "write to alice.moreau@example.com today", "alice.moreau@example.com"},
		{"email", "cc: j_o'brien+claims@mail.example.co.uk.", "j_o'brien+claims@mail.example.co.uk"},
		{"email", "<bob@sub.example.org>", "bob@sub.example.org"},
		{"email", "ping @alice about it", ""},
		{"email", "user@localhost is not routable", ""},
		{"email", "pkg@v1.2.3 was released", ""},
		{"email", "a@b.c has a one-letter TLD", ""},
		{"email", ".@example.com", ""},
		{"phone", "call +44 20 7946 0958 now", "+44 20 7946 0958"},
		{"phone", "tel:+14155550132", "+14155550132"},
		{"phone", "UK +44(0)20 7946 0958.", "+44(0)20 7946 0958"},
		{"phone", "office (415) 555-0132.", "(415) 555-0132"},
		{"phone", "cell 415-555-0132", "415-555-0132"},
		{"phone", "fax 415.555.0132", "415.555.0132"},
		{"phone", "toll free 1-800-555-0199", "1-800-555-0199"},
		{"phone", "London 020 7946 0958", "020 7946 0958"},
		{"phone", "mobile 07700 900123", "07700 900123"},
		{"phone", "Paris 01 23 45 67 89", "01 23 45 67 89"},
		{"phone", "portable 06.12.34.56.78", "06.12.34.56.78"},
		{"phone", "sms 07700900123", "07700900123"},
		{"phone", "phone: 4155550132", "4155550132"},
		{"phone", "invoice 4155550132 paid", ""},
		{"phone", "SSN 123-45-6789", ""},
		{"phone", "date 2024-03-14 10:30", ""},
		{"phone", "at 10:05.999999999 UTC", ""},
		{"phone", "host 192.168.100.200", ""},
		{"phone", "ref POL-1000012345", ""},
		{"phone", "card 4111 1111 1111 1111", ""},
		{"phone", "+0 20 7946 0958 starts with zero", ""},
		{"phone", "area (115) 555-0132 cannot start with 1", ""},
		{"phone", "version 0.10.12.15.18", ""},
		{"phone", "price 3.141592653 EUR", ""},
		{"phone", "short +44 20 79", ""},
		{"phone", "see Clause 252.227-7013 of DFARS", ""},
		{"phone", "(merge 0650614982 cy/typofix later)", ""},
	})
}

func TestNationalIDDetectors(t *testing.T) {
	t.Parallel()
	runDetCases(t, []detCase{
		{"national_id.us_ssn", "SSN 123-45-6789 on file", "123-45-6789"},
		{"national_id.us_ssn", "number 536 22 1234.", "536 22 1234"},
		{"national_id.us_ssn", "social security number: 536221234", "536221234"},
		{"national_id.us_ssn", "reference 536221234", ""},
		{"national_id.us_ssn", "666-12-3456", ""},
		{"national_id.us_ssn", "000-12-3456", ""},
		{"national_id.us_ssn", "923-45-6789", ""},
		{"national_id.us_ssn", "123-00-6789", ""},
		{"national_id.us_ssn", "123-45-0000", ""},
		{"national_id.us_ssn", "078-05-1120", ""},
		{"national_id.us_ssn", "123-45-6789-01", ""},
		{"national_id.us_ssn", "123-45 6789", ""},
		{"national_id.uk_nino", "NI number AB123456C.", "AB123456C"},
		{"national_id.uk_nino", "NI: ce 12 34 56 d", "ce 12 34 56 d"},
		{"national_id.uk_nino", "DA123456C", ""},
		{"national_id.uk_nino", "AO123456C", ""},
		{"national_id.uk_nino", "GB123456A", ""},
		{"national_id.uk_nino", "AB123456E", ""},
		{"national_id.uk_nino", "XAB123456C", ""},
		{"national_id.uk_nino", "AB1234567C", ""},
		{"national_id.fr_insee", "NIR 1 84 12 76 451 089 46 joint", "1 84 12 76 451 089 46"},
		{"national_id.fr_insee", "NIR 184127645108946", "184127645108946"},
		{"national_id.fr_insee", "NIR 184127645108947", ""},
		{"national_id.fr_insee", "NIR 384127645108946", ""},
		{"national_id.fr_insee", "NIR 1 84 12 76 451 089 4", ""},
	})
}

func TestFinancialDetectors(t *testing.T) {
	t.Parallel()
	runDetCases(t, []detCase{
		{"card", "Visa 4111 1111 1111 1111 exp 09/27", "4111 1111 1111 1111"},
		{"card", "MC 5555-5555-5555-4444", "5555-5555-5555-4444"},
		{"card", "Amex 3782 822463 10005", "3782 822463 10005"},
		{"card", "pan 6011111111111117", "6011111111111117"},
		{"card", "2-series 2221000000000009", "2221000000000009"},
		{"card", "order 4111111111111112", ""},
		{"card", "id 1234567812345670", ""},
		{"card", "4111 1111 1111 1111 1111 1111", "4111 1111 1111 1111"},
		{"card", "cards 4111111111111111 5555555555554444", "5555555555554444"},
		{"card", "total 4111111111111111.50 EUR", ""},
		{"card", "Amex with 16 digits 3782822463100051", ""},
		{"card", "offset -4111111111111111", ""},
		{"card", "seed 4111111111111111110", ""},
		{"card", "card 4111111111111111110", "4111111111111111110"},
		{"card", "41 11 11 11 11 11 11 11", ""},
		{"iban", "IBAN GB82 WEST 1234 5698 7654 32.", "GB82 WEST 1234 5698 7654 32"},
		{"iban", "iban: DE89370400440532013000", "DE89370400440532013000"},
		{"iban", "FR1420041010050500013M02606", "FR1420041010050500013M02606"},
		{"iban", "GB82 WEST 1234 5698 7654 33", ""},
		{"iban", "DE8937040044053201300", ""},
		{"iban", "DE893704004405320130001", ""},
		{"iban", "QQ89370400440532013000", ""},
		{"financial", "account number: 12345678", "12345678"},
		{"financial", "acct #0012-345678", "0012-345678"},
		{"financial", "routing number 021000021", "021000021"},
		{"financial", "routing number 021000022", ""},
		{"financial", "sort code 20-00-00", "20-00-00"},
		{"financial", "her salary is $85,000 a year", "$85,000"},
		{"financial", "balance of 1,234.56 EUR", "1,234.56 EUR"},
		{"financial", "account manager John", ""},
		{"financial", "account number POL-100001", ""},
		{"financial", "balance sheet review in Q3", ""},
		{"financial", "salary reviews happen in March", ""},
		{"financial", "a balanced $100 budget", ""},
		{"financial", "syscall 163 (acct) 407589", ""},
		{"financial", "the acct team met 3 times in 2024", ""},
	})
}

func TestHealthDetector(t *testing.T) {
	t.Parallel()
	runDetCases(t, []detCase{
		{"health", "started chemotherapy last week", "chemotherapy"},
		{"health", "the patient is HIV-positive", "HIV-positive"},
		{"health", "diagnosed with type 2 diabetes", "diabetes"},
		{"health", "the doctor confirmed a fractured wrist", "fractured"},
		{"health", "ICD-10 F32.1 recorded", "F32.1"},
		{"health", "diagnosis code E11.9", "E11.9"},
		{"health", "Cancer Research UK fundraiser", ""},
		{"health", "the economic depression of the 1930s", ""},
		{"health", "fault diagnosis of the van", ""},
		{"health", "stroke of luck", ""},
		{"health", "part E11.9 of the catalogue", ""},
		{"health", "register X86 in the condition code", ""},
	})
}
