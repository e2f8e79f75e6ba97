package dlp

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/url"
)

// benignFixed are ordinary messages that resemble the patterns: claims
// prose, numbers that are not cards or phones, and words such as
// "ignore", "act as" or "DAN" in normal use.
var benignFixed = []string{
	"Please ignore the previous email, I attached the wrong invoice.",
	"You can ignore the warning about the expired login; it is harmless.",
	"Disregard the draft I sent yesterday and use the signed version.",
	"Forget the meeting on Tuesday, we will settle it by email instead.",
	"Dan from accounting approved the reimbursement this morning.",
	"Dan said the adjuster will act as the point of contact for the family.",
	"You are now registered for the claims handling webinar on 12 May.",
	"Pretend the reader has never filed a claim when you write the FAQ.",
	"Please list the tools damaged in the flood so we can price them.",
	"The fault diagnosis of the delivery van took two days at the garage.",
	"Our team ran a fundraiser for Cancer Research UK last weekend.",
	"The balance sheet review is scheduled for the third quarter.",
	"The developer mode toggle is under Settings > About on the tablet.",
	"A small token of appreciation was sent to the repair crew.",
	"The password reset link was sent to the policy holder's registered address.",
	"New policy wording applies from 1 April 2025 for all home contents cover.",
	"The system will prompt the user to confirm the bank details before payment.",
	"We treated the request as urgent because the roof was still leaking.",
	"The economic depression of the 1930s is covered in the training module.",
	"Run all the checks again after the database migration.",
	"Show the customer the available payment options on the portal.",
	"Which tools are stored in the shed according to the inventory?",
	"The new instructions for the intake form are in the shared folder.",
	"Act as quickly as possible: the storm damage report is due Monday.",
	"From now on, claims under 500 EUR are approved by the team lead.",
	"The jailer at the museum exhibit is a wax figure.",
	"Reveal the winners of the safety award at the Friday meeting.",
	"Balance of probabilities favours the claimant in this dispute.",
	"Salary reviews happen every March across all departments.",
	"The account manager will follow up next week.",
	"The routing of the claim depends on its severity band.",
	"Tom &amp; Jerry &lt;3 is the caption on the uploaded photo.",
	"Search link: https://example.com/search?q=water%20damage%20claims&page=2",
	"<!-- header navigation --><nav>Home | Claims | Contact</nav>",
	"<div style=\"display:none\"></div><p>Your claim was received.</p>",
	"<span style=\"color:white;background:#003366\">Welcome to the claims portal</span>",
	"See the [claims portal](https://example.com/claims \"Claims portal home\") for status.",
	"![logo](https://example.com/logo.png \"Company logo\")",
	"Привет, спасибо за быстрый ответ по заявке.",
	"Η αποζημίωση εγκρίθηκε για την ασφάλιση κατοικίας.",
	"Family photo caption 👨‍👩‍👧‍👦 from the claimant's upload.",
	"Café résumé naïve coöperate: accented words in the cover letter.",
	"Version 2.14.3 of the intake service was deployed at 10:42:17 UTC.",
	"The server at 192.168.100.200 answered in 35 ms.",
	"ISBN 978-3-16-148410-0 is the reference manual for adjusters.",
	"Meeting room B2.045, extension 4471, floor 3.",
	"Temperatures between 18.5 and 21.0 degrees were recorded.",
	"The secret to fast claims is a complete first notice of loss.",
	"Our API documentation explains pagination and rate limits.",
	"Token bucket rate limiting allows bursts of 20 requests.",
	"Please call the office during business hours.",
	"ICD training for the new coders starts next week.",
	"The patient portal redesign goes live in June.",
	"Prescription glasses are covered under the optical add-on.",
	"Treatment of water-damaged documents follows the archive guideline.",
	"The hospital car park was flooded; cars were damaged.",
	"Base64 and hex are encodings, not encryption.",
	"Claim reference CLM-2025-004417 was merged into CLM-2025-004410.",
	"Policy POL-100001 renews on 2025-11-30 at 23:59.",
	"Invoice total: 3,200.00 EUR; VAT 20%; net 2,666.67 EUR.",
	"Shipment tracking 1Z999AA10123456784 is in transit.",
	"UUID 3f2b8c1e-9d4a-4e7b-a6c5-1b2d3e4f5a6b identifies the upload.",
	"Commit 9fceb02d0ae598e95dc970b74767f19372d61af8 fixed the export.",
	"SHA-256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 of the empty file.",
}

// benignMessages returns benignFixed plus generated messages: claims
// prose with amounts, dates and references, numbers that look like cards
// but fail the checks, and benign text under each encoding.
func benignMessages(g *gen) []string {
	out := append([]string{}, benignFixed...)
	for i := range 20 {
		out = append(out, fmt.Sprintf("Claim POL-%06d: %s Amount claimed %d.%02d EUR, incident on 2025-%02d-%02d, severity %s.",
			100000+g.r.IntN(900000), g.pick("Rear-ended at a junction.", "Storm damage to the roof.", "Luggage lost in transit.", "Windscreen cracked by debris.", "Break-in with stolen electronics."),
			50+g.r.IntN(90000), g.r.IntN(100), 1+g.r.IntN(12), 1+g.r.IntN(28), g.pick("low", "medium", "high")))
		_ = i
	}
	for i := range 15 {
		out = append(out, fmt.Sprintf("Order number %s was dispatched from warehouse %d.", notCard(g, i), 1+g.r.IntN(40)))
	}
	for range 5 {
		out = append(out, "Attachment checksum "+base64.StdEncoding.EncodeToString([]byte(g.from("\x00\x01\x02\x80\x9f\xff\xfe\x10", 24)))+" verified.")
	}
	plain := []string{"The adjuster visited the property on Monday.", "Please ignore the duplicate upload.", "Claims over the limit need a second review."}
	for _, p := range plain {
		out = append(out,
			"Encoded note: "+base64.StdEncoding.EncodeToString([]byte(p)),
			"Hex note: "+hex.EncodeToString([]byte(p)),
			"Link: https://example.com/?note="+url.QueryEscape(p),
		)
	}
	return out
}

// notCard returns a 16-digit number that is not a card: a failing Luhn
// check, or a passing one without a known issuer prefix.
func notCard(g *gen, i int) string {
	if i%2 == 0 {
		d := "4" + g.digits(14)
		good := luhnDigit(d)[0]
		return d + string('0'+(good-'0'+1)%10)
	}
	d := "1" + g.digits(14)
	return d + luhnDigit(d)
}
