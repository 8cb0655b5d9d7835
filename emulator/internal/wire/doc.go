// Package wire is the AWS query protocols the emulator speaks, and nothing of any service's
// state: form decoding (Params), the XML answer writer (Writer), errors (Error) and the
// envelopes around answers of awsQuery (ELB Classic) and ec2Query (EC2), request ids and
// the SigV4 credential scope. The protocol facts are cited in docs/sources.md.
package wire
