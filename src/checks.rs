//! The one list of check ids.
//!
//! Every check in a [`Report`](crate::report::Report) carries one of these ids.
//! Ids are stable dotted names: tools and auditors filter on them, so a check
//! is renamed only with a changelog entry. The README's check table is tested
//! against [`CheckId::ALL`], and a test asserts the ids are unique.

use serde::Serialize;

macro_rules! define_checks {
    ($( $variant:ident => $id:literal, $text:literal; )*) => {
        /// A stable identifier of one kind of check.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum CheckId { $( #[doc = $text] $variant, )* }

        impl CheckId {
            /// Every check id, in documentation order.
            pub const ALL: &'static [CheckId] = &[ $( CheckId::$variant, )* ];

            /// The dotted id, e.g. `jws.signature`.
            pub fn as_str(self) -> &'static str {
                match self { $( CheckId::$variant => $id, )* }
            }

            /// One sentence: what the check establishes.
            pub fn description(self) -> &'static str {
                match self { $( CheckId::$variant => $text, )* }
            }

            /// Looks an id up by its dotted name.
            pub fn from_name(name: &str) -> Option<CheckId> {
                match name { $( $id => Some(CheckId::$variant), )* _ => None }
            }
        }
    };
}

define_checks! {
    // -- inputs ---------------------------------------------------------------
    InputRecognised => "input.recognised",
        "Each supplied file is recognised as a kind of evidence sigaudit understands; others are named and left unchecked.";
    InputSize => "input.size",
        "Each file and the whole bundle are within the size limits (limits.rs), checked before parsing.";
    InputJson => "input.json",
        "JSON input is UTF-8, well-formed, within the depth limit and has no duplicate member names.";
    InputEncoding => "input.encoding",
        "Embedded base64 / PEM / hex content decodes strictly.";
    InputTokenError => "input.token_error",
        "A token endpoint error response (e.g. CIBA authorization_pending) holds no token to verify.";
    InputNothingToVerify => "input.nothing_to_verify",
        "The bundle holds at least one thing that can be verified.";

    // -- JWS (RFC 7515, RFC 8725) --------------------------------------------
    JwsSize => "jws.size",
        "The compact JWS is no longer than the JWS length limit; checked before it is split (RFC 8725 §3.5 spirit: bound work).";
    JwsSegments => "jws.segments",
        "The compact serialisation has exactly three non-empty-header segments (RFC 7515 §7.1); five segments is a JWE.";
    JwsBase64 => "jws.base64",
        "Each segment is strict base64url without padding or stray bits (RFC 7515 §2).";
    JwsUtf8 => "jws.utf8",
        "Header and payload decode to valid UTF-8 (RFC 7515 §5.2 step 4, RFC 7519 §7.2 step 8).";
    JwsDuplicateMember => "jws.duplicate_member",
        "Header and payload JSON have no duplicate member names (RFC 7515 §5.2 step 4: reject or use the last; we reject).";
    JwsHeader => "jws.header",
        "The protected header is a JSON object with a string `alg`, and every registered member has its defined type (RFC 7515 §4.1); jku / x5u / jwk members are reported and never followed.";
    JwsAlg => "jws.alg",
        "The algorithm is an asymmetric one we verify (RS*, PS*, ES256, ES384, EdDSA); none and HMAC are rejected (RFC 8725 §2.1, §3.1).";
    JwsCrit => "jws.crit",
        "Every `crit` header parameter is understood, or the JWS is rejected (RFC 7515 §4.1.11).";
    JwsB64 => "jws.b64",
        "The payload is base64url-encoded: `b64: false` (RFC 7797 unencoded payload) is rejected.";
    JwsTyp => "jws.typ",
        "The header typ fits the token's role: at+jwt on access tokens (a JWT access token without it is rejected, RFC 9068 §4) and nowhere else (RFC 9068 §2.1, RFC 8725 §3.11 explicit typing); a typ that is present but not a string fails (RFC 7515 §4.1.9).";
    JwsKey => "jws.key",
        "A verification key is found for the header's kid / x5t / x5c among the supplied and pinned keys.";
    JwsKeyUse => "jws.key_use",
        "The selected key is a signature key: `use: enc` or key_ops without verify never verifies a signature (RFC 7517 §4.2).";
    JwsKeyType => "jws.key_type",
        "The header alg fits the key type and curve, and the JWK's own `alg` if present (RFC 8725 §3.1 algorithm confusion).";
    JwsKeyStrength => "jws.key_strength",
        "RSA keys are at least 2048 bits (RFC 7518 §3.3, §3.5).";
    JwsSignature => "jws.signature",
        "The signature verifies over the ASCII signing input with the selected key (RFC 7515 §5.2 step 8).";
    JwsHeaderCert => "jws.header_cert",
        "The header's x5t, x5t#S256 and x5c[0] identify the key that verified the signature (RFC 7515 §4.1.6-4.1.8).";
    JwsTokenResponseKey => "jws.token_response_key",
        "The id_token and the access token of one token response verified with the same key, under the same kid (broker.md §2).";
    JwsOpaqueAccessToken => "jws.opaque_access_token",
        "An access token that is not a JWS is opaque (RFC 6749 §1.4): legitimate but not verifiable; only an id_token's at_hash can bind it.";
    JwsKidThumbprint => "jws.kid_thumbprint",
        "The broker's convention holds: kid equals the uppercase hex SHA-1 thumbprint of the signing certificate.";
    JwsKeyTrusted => "jws.key_trusted",
        "The key that verified the signature is trusted: pinned by the environment profile (exactly, or a renewed transaction certificate by subject DN with a chain to a --trust anchor) or supplied with --jwks; a chain to an anchor alone does not make a key from the evidence the issuer's (broker.md §3 rule 2).";

    // -- JWK (RFC 7517) -------------------------------------------------------
    JwkX5cKeyMatch => "jwk.x5c_key_match",
        "A JWK's n/e (or x/y) equal the public key of its own x5c certificate (RFC 7517 §4.7).";
    JwkX5t => "jwk.x5t",
        "A JWK's x5t and x5t#S256 equal the SHA-1 and SHA-256 thumbprints of its x5c certificate (RFC 7517 §4.8-4.9; the broker writes x5t in hex).";

    // -- JWT claims (RFC 7519, OIDC Core, broker rules) -----------------------
    JwtClaims => "jwt.claims",
        "The payload is a JSON object of claims (RFC 7519 §7.2 step 10).";
    JwtIss => "jwt.iss",
        "`iss` exactly equals the expected issuer (--issuer, or the environment profile's issuer) (OIDC Core §3.1.3.7 step 2).";
    JwtAud => "jwt.aud",
        "`aud` (string or array) contains any of the expected audiences (--audience, repeatable: a client id, an organisation TIN); for access tokens without aud, `client_id` is compared (RFC 7519 §4.1.3).";
    JwtAzp => "jwt.azp",
        "An id_token with several audiences carries `azp`, and an `azp` is one of the expected audiences (--audience) (OIDC Core §2, §3.1.3.7 steps 4-5).";
    JwtExp => "jwt.exp",
        "The token has not expired at the validation time, with leeway; expiry is indeterminate (no proof of earlier existence), not a forgery.";
    JwtNbf => "jwt.nbf",
        "`nbf` is not after the validation time, with leeway (RFC 7519 §4.1.5).";
    JwtIat => "jwt.iat",
        "`iat` is present and not after the validation time, with leeway (RFC 7519 §4.1.6).";
    JwtTimeOrder => "jwt.time_order",
        "The token's own times are consistent: nbf <= exp and iat <= exp.";
    JwtNonce => "jwt.nonce",
        "`nonce` equals the expected nonce (OIDC Core §3.1.3.7 step 11).";
    JwtAuthTime => "jwt.auth_time",
        "`auth_time` is not older than the maximum authentication age at issuance (iat - auth_time <= max age) (OIDC Core §3.1.3.7 step 13).";
    JwtLevel => "jwt.level",
        "`loa` / `acr` is an NSIS level at least the required minimum (Low < Substantial < High); for a workflow token, each signature_N's UserClaims loa.";
    JwtIdp => "jwt.idp",
        "`idp` equals the expected identity provider.";
    JwtIdentityType => "jwt.identity_type",
        "`identity_type` equals the expected identity type (private, professional, test).";
    JwtAtHash => "jwt.at_hash",
        "`at_hash` equals base64url of the left half of the hash of the access token issued with it (OIDC Core §3.1.3.6).";
    JwtCiba => "jwt.ciba",
        "A reference text was expected, so the id_token must be a CIBA token (`idtoken_type: ciba`).";
    JwtReferenceText => "jwt.reference_text",
        "`mitid.reference_text` equals the CIBA reference text that was requested.";

    // -- environment profile pins ---------------------------------------------
    EnvTokenKeyPin => "env.token_key_pin",
        "An id_token or access token of the pinned issuer is signed by one of the profile's token-signing certificates (SHA-1 thumbprint).";
    EnvTransactionCertPin => "env.transaction_cert_pin",
        "A transaction or workflow token of the pinned issuer is signed by a certificate whose thumbprint or subject DN the profile pins.";

    // -- X.509 certification path (RFC 5280 §6) --------------------------------
    ChainAnchor => "chain.anchor",
        "The certificate chains to a supplied trust anchor (a name and key, RFC 5280 §6.1.1(d)); path building backtracks over every candidate issuer (RFC 4158) and takes the first valid path; without an anchor the result is indeterminate, never pass.";
    ChainName => "chain.name",
        "Each certificate's issuer name matches its issuer's subject name (RFC 5280 §6.1.3 (a)(4)), compared per §7.1: string values after RFC 4518 preparation (case, spaces, string type), other values byte for byte.";
    ChainKeyIdentifier => "chain.key_identifier",
        "Where both are present, each authorityKeyIdentifier equals the issuer's subjectKeyIdentifier (RFC 5280 §4.2.1.1).";
    ChainSignature => "chain.signature",
        "Each certificate's signature verifies with its issuer's key: RSA PKCS#1, RSASSA-PSS (parameters enforced), ECDSA, Ed25519.";
    ChainValidity => "chain.validity",
        "Each certificate was valid at the signing time (else fail) and is valid at the validation time (else indeterminate).";
    ChainBasicConstraints => "chain.basic_constraints",
        "Every issuing certificate is a CA (basicConstraints cA) and its pathLenConstraint holds (RFC 5280 §4.2.1.9; self-issued intermediates do not count, §6.1.4(l)).";
    ChainNameConstraints => "chain.name_constraints",
        "Reported only when a certificate of the path (the anchor included) carries nameConstraints: every certificate below it, self-issued intermediates excepted, has its names within the permitted and outside the excluded subtrees (RFC 5280 §4.2.1.10, §6.1.3 (b)(c)): directoryName (the subtree's RDNs a prefix of the subject's, §7.1; an empty subject is not constrained), rfc822Name (subjectAltName and the subject's emailAddress), dNSName, iPAddress, uniformResourceIdentifier (host). A constraint on a form this verifier cannot process (otherName, x400Address, ediPartyName, registeredID, minimum other than 0, maximum) fails when a name of that form lies below it (§4.2.1.10: process it or reject the certificate). An end-entity certificate carrying nameConstraints itself warns (the extension is for CA certificates only).";
    ChainKeyUsage => "chain.key_usage",
        "CAs may sign certificates (keyCertSign); the end entity's keyUsage / extKeyUsage allow its role (signing, OCSP, timestamping).";
    ChainCriticalExtension => "chain.critical_extension",
        "No certificate carries a critical extension this verifier does not understand (RFC 5280 §4.2).";
    ChainAlgorithm => "chain.algorithm",
        "Keys and signature algorithms are strong: RSA below 2048 bits fails, SHA-1 signatures warn (documented in README).";

    // -- OCSP (RFC 6960, broker.md §3 rule 5) -----------------------------------
    OcspPresent => "ocsp.present",
        "An OCSP response for the signing certificate was supplied; without one, or when the key has no certificate to match a response to (a bare JWK), revocation status is indeterminate.";
    OcspFormat => "ocsp.format",
        "The OCSP response is well-formed DER (RFC 6960 §4.2.1) with a BasicOCSPResponse and no critical extension sigaudit does not recognise (RFC 6960 §4.4).";
    OcspResponseStatus => "ocsp.response_status",
        "responseStatus is successful (not malformedRequest, internalError, tryLater, sigRequired, unauthorized).";
    OcspCertId => "ocsp.cert_id",
        "A SingleResponse's CertID names the signing certificate: serial, and issuerNameHash / issuerKeyHash recomputed (or issuerKeyHash vs the AKI).";
    OcspStatus => "ocsp.status",
        "The certificate's status is good; revoked (with time and reason) and unknown fail. A revocation after a token's iat warns only for reasons that are not a key compromise (the iat is claimed by the key's holder); after a timestamp-proven time it warns. In long-term validation data, a certificateHold that a later authentic answer or CRL from before the judged time shows released passes. A revocation counts from its invalidityDate single extension when that is earlier (RFC 5280 §5.3.2), and a critical single extension sigaudit does not recognise fails (RFC 6960 §4.4). Revoked with reason removeFromCRL, a reason only delta CRLs use to take a certificate off hold, is indeterminate.";
    OcspFreshness => "ocsp.freshness",
        "The response covers the signing time: thisUpdate - skew <= iat <= nextUpdate. In long-term validation data (a PDF's DSS or revocation-info-archival), a response stale for the time judged, or made after the certificate expired without an archiveCutoff at or before its notAfter (RFC 6960 §4.4.4), is not used: it warns when other evidence decides the certificate's status, and is indeterminate when none does.";
    OcspNonce => "ocsp.nonce",
        "The response's nonce extension equals the transaction token's signing_cert_ocsp_nonce.";
    OcspSignature => "ocsp.signature",
        "The response signature verifies with the responder certificate named by ResponderID (byName or byKey).";
    OcspResponderAuthorized => "ocsp.responder_authorized",
        "The responder is the issuing CA, a locally trusted responder, or a delegate the CA issued with id-kp-OCSPSigning, digitalSignature in its keyUsage when one is present, no unrecognised critical extension, and its names within the nameConstraints of the CA's path (RFC 6960 §4.2.2.2, RFC 5280 §4.2, §4.2.1.3, §4.2.1.10).";
    OcspResponderValidity => "ocsp.responder_validity",
        "The responder certificate was valid when the response was produced (producedAt); id-pkix-ocsp-nocheck is noted.";

    // -- PDF structure and signatures (ISO 32000-1 §7.5, §12.8; pades.md) -----
    PdfStructure => "pdf.structure",
        "The PDF's cross-reference sections, trailers and revisions read without error (xref tables and streams, /Prev chain without loops); a file that does not end with %%EOF, or has bytes after its last %%EOF (which belong to no revision; objects there are an unfinished update), warns: it was probably truncated. A fault the reader had to repair (a wrong xref offset or stream /Length, a missing endobj, startxref or %%EOF) warns too, listing each: readers repair differently, so the file may show other content elsewhere.";
    PdfSignatures => "pdf.signatures",
        "Every signature dictionary is found: fields (through /Kids), document timestamps, and dictionaries no field references (reported); a PDF with no signature that nothing else in the evidence commits to (no token hash claim, sign-service result hash or Altinn record) is indeterminate: nothing shows anyone signed it; a PDF that a result presents as the signed one (padesSignedPdf, a workflow PAdES result's padesDocument) fails without a signature.";
    SigSubfilter => "sig.subfilter",
        "/SubFilter is adbe.pkcs7.detached, ETSI.CAdES.detached or ETSI.RFC3161; legacy adbe.pkcs7.sha1 and adbe.x509.rsa_sha1 warn.";
    SigByteRange => "sig.byte_range",
        "/ByteRange is exactly four non-negative integers [0 a b c] with a < b and b + c within the file, its gap used by no other signature.";
    SigContentsGap => "sig.contents_gap",
        "The ByteRange gap is exactly this dictionary's /Contents hex string, delimiters included, and the CMS is followed by zero padding only.";
    SigCoverage => "sig.coverage",
        "What the signature covers: ENTIRE_FILE, ENTIRE_REVISION (up to a revision's %%EOF), CONTIGUOUS_BLOCK_FROM_START (warn) or UNCLEAR (fail).";
    CmsFormat => "cms.format",
        "/Contents holds a CMS SignedData (BER or DER, RFC 5652) with exactly one SignerInfo.";
    CmsDigestAlgorithm => "cms.digest_algorithm",
        "The digest algorithm is SHA-256, SHA-384 or SHA-512; SHA-1 warns.";
    CmsMessageDigest => "cms.message_digest",
        "The message-digest attribute equals the digest of the bytes the ByteRange covers: the document is intact.";
    CmsContentType => "cms.content_type",
        "The content-type attribute is present and is id-data (RFC 5652 §11.1).";
    CmsSignerCertificate => "cms.signer_certificate",
        "The certificate named by the SignerInfo (issuer and serial, or subject key identifier) is in the CMS or the evidence.";
    CmsSigningCertificate => "cms.signing_certificate",
        "The ESS signing-certificate(-v2) attribute binds the signer certificate by hash in its first certificate reference, the one that identifies the signing certificate (RFC 5035 §3; required by PAdES baseline).";
    CmsSignature => "cms.signature",
        "The signature over the DER-encoded signed attributes verifies with the signer certificate's key (RSA PKCS#1, RSA-PSS, ECDSA).";
    CmsSigningTime => "cms.signing_time",
        "PAdES baseline signatures carry no CMS signing-time attribute (the time is /M); its presence warns.";
    TstFormat => "tst.format",
        "A timestamp token is a CMS SignedData over TSTInfo (RFC 3161 §2.4.2).";
    TstImprint => "tst.imprint",
        "The TSTInfo messageImprint equals the hash of what is timestamped: the SignerInfo signature value, or a document timestamp's ByteRange bytes; a SHA-1 imprint warns and MD5 fails (ETSI TS 119 312), as for cms.digest_algorithm.";
    TstSignature => "tst.signature",
        "The timestamp token's signature verifies with the TSA certificate; a SHA-1 digest or signature algorithm warns and MD5 fails (ETSI TS 119 312).";
    TstSigningCertificate => "tst.signing_certificate",
        "The token's ESS signing-certificate(-v2) attribute names the TSA certificate in its first reference, by hash and, when given, issuer and serial (RFC 3161 §2.4.2, RFC 5816 §2.2.1); a token without one warns.";
    TstCertificate => "tst.certificate",
        "The TSA certificate's extKeyUsage is id-kp-timeStamping only, marked critical (RFC 3161 §2.3), and it has a valid path at genTime.";
    TstGenTime => "tst.gen_time",
        "genTime is not after the validation time (with leeway); a later time-stamp proves no existence at the validation time (ETSI EN 319 102-1 §5.6.2): it warns and is not used as proof of existence. With --at signing, genTime is the validation time.";
    LtvRevocation => "ltv.revocation",
        "Revocation data (DSS, VRI, revocation-info-archival: OCSP and CRLs) shows the signer chain unrevoked at the proof-of-existence time; a revocation at or before it in any authentic OCSP response or validly signed CRL outweighs every good status, except a certificateHold that authentic evidence made after it and by that time shows released (RFC 5280 §5.3.1); a good status shown only by evidence made after the validation time (OCSP producedAt, CRL thisUpdate; not with --at signing) warns.";
    LtvLevel => "ltv.level",
        "The PAdES baseline level reached (B-B, B-T, B-LT, B-LTA) and what the next level lacks.";
    ModChanges => "mod.changes",
        "Every object added or replaced after the signature or document timestamp is classified: LTV data (only the DSS and its /Certs, /OCSPs, /CRLs, /VRI data), signature fields, form fields, annotations, or other; other changes warn, and so do a new signature field that holds no signature but paints a visible appearance (an overlay), a shown annotation added to a page (named with its page and /Rect: it is drawn over the signed content) and an annotation the signed pages showed that was changed or removed; one whose dictionary changed only in keys nothing drawn or said depends on (/M, /P, /Popup naming an annotation the page lists; ISO 32000-1 Tables 164, 170) passes, named with those keys.";
    ModDocMdp => "mod.docmdp",
        "Changes after a certification signature respect its DocMDP /P (1 none, 2 filling existing fields and signing, 3 also annotations and new fields), and changes after any signature its FieldMDP locks (All, Include, Exclude; fully qualified field names, widgets and appearances included).";
    ModShadow => "mod.shadow",
        "No object the signed pages use (content streams, resources, fonts, XObjects, page tree) was redefined after signing, the catalog's /Pages and the list of pages are the signed ones, and no annotation the signed pages showed was changed (other than in /M, /P or /Popup) or removed (DocMDP /P 3 allows that): the visible document is what was signed.";
    EmbeddedFiles => "embedded.files",
        "Embedded files (/EmbeddedFiles name tree, /AF) are listed with size, SHA-256 and declared checksum, which must match.";
    SignServiceHash => "signservice.hash",
        "A sign-service result's unsignedDocumentSha256 / signedDocumentSha256 (base64) are present and equal the supplied original and signed PDF.";
    SignServiceAppendix => "signservice.appendix",
        "The original PDF followed by padesAppendix equals padesSignedPdf byte for byte (an incremental update, nothing else changed).";
    SignServiceCms => "signservice.cms",
        "merchantSignatures / endUserSignatures are BER CMS whose signature verifies and whose signed digest equals documentHashes.";

    // -- document binding ------------------------------------------------------
    BindingDocumentSha256 => "binding.document_sha256",
        "`transaction_text_sha256` (base64) equals SHA-256 of a supplied document; indeterminate when no candidate was supplied.";
    BindingWorkflowDocument => "binding.workflow_document",
        "Each title/hash pair (workflow_pdf_title_and_sha256, document_N) matches a supplied PDF by hash, and its title matches the PDF's given title or, failing that, does not contradict its file name (a file named for another claim's title warns).";
    BindingWorkflowClaims => "binding.workflow_claims",
        "Workflow claims are well-formed: document_N / signature_N are JSON strings, titles and hashes unique (repeats warn), counts equal the numbered claims; a token whose token_type is workflow_token_v1 delivered as another kind of token fails.";
    BindingWorkflowResult => "binding.workflow_result",
        "A workflow API result's workflowResultInfo (document and signature counts) agrees with the workflow token.";
    BindingWorkflowSignatures => "binding.workflow_signatures",
        "The workflow token's signature_N claims agree with the workflow status (same count, each SignatureTransactionId once, same Id, same organization TIN) and with each signer's transaction token (same workflow_id, a listed SignatureTransactionId, the same person as that signature's UserClaims, at most one token per signature, exactly the workflow's document hashes).";
    BindingTokenResponseSession => "binding.token_response_session",
        "The tokens of one token response are about one login: every pair agrees on `sub` and `idp`, and the id_token and transaction token also on `identity_type`, `nonce`, `mitid.uuid` and `mitid.identity_name`, where both carry them (broker.md §1-§3).";
    DocumentReferenced => "document.referenced",
        "A supplied document is referenced by a hash claim of some supplied token.";

    // -- Altinn 3 signing records (altinn.md; src/altinn) -----------------------
    AltinnRecord => "altinn.record",
        "Stated on every Altinn instance (always pass): an Altinn signature is a record kept by Altinn Storage, not a cryptographic signature; it shows who invoked sign, when, and the SHA-256 Storage computed, and nothing seals it against whoever controls Altinn's storage or the export.";
    AltinnInstance => "altinn.instance",
        "The instance metadata (instance.json) is usable: id `{partyId}/{instanceGuid}` and a data[] list of uniquely identified data elements with RFC 3339 times; fails when broken, indeterminate when not supplied.";
    AltinnSignatureParse => "altinn.signature.parse",
        "Every signature record parses (camelCase or PascalCase): GUID id and instanceGuid, RFC 3339 signedTime (up to 7 fraction digits), signeeInfo, and dataElementSignatures with 64-hex sha256Hash; a listed record whose file is missing, or no record at all, is indeterminate.";
    AltinnSignatureId => "altinn.signature.id",
        "A signature record's id is its own data element's: the file is named by it and the instance lists it with the file's size (fail otherwise).";
    AltinnSignatureInstanceGuid => "altinn.signature.instance_guid",
        "A signature record's instanceGuid is the instance's; a record of another instance fails and is not counted as a signature.";
    AltinnSignatureTime => "altinn.signature.time",
        "signedTime agrees with the record element's created (within the leeway), is not before any covered element's created and not after the validation time (fail otherwise).";
    AltinnSignatureDataElementHash => "altinn.signature.data_element_hash",
        "Each covered data element is in the instance and its supplied bytes have the recorded SHA-256 (fail otherwise); a data element not supplied is indeterminate.";
    AltinnSignatureSigned => "altinn.signature.signed",
        "Each dataElementSignatures entry is marked signed: an entry marked \"signed\": false warns (the record says that element was not signed, and it covers nothing); a record with no entry marked signed signs nothing: it fails and is not counted as a signature.";
    AltinnSignatureDataElementSize => "altinn.signature.data_element_size",
        "Each covered data element's supplied file is as long as the size the instance metadata records (fail otherwise).";
    AltinnDataElementUnsignedOrChanged => "altinn.data_element.unsigned_or_changed",
        "Each data element of a signed type is covered by a record and unchanged since: bytes differing from a record fail, and so does a record that leaves out an element of a type its task signs that existed when it was signed (Storage records every element of those types); no covering record, or lastChanged after signedTime with the bytes as hashed (or not supplied), warn; so does an unsigned element whose file's size differs from the metadata.";
    AltinnSigneeUser => "altinn.signee.user",
        "signeeInfo names the caller that stored the record: its userId (for a system user, its organisation number) equals the record element's createdBy (fail otherwise).";
    AltinnSigneeIdentifier => "altinn.signee.identifier",
        "Fødselsnummer, D-numbers, synthetic test numbers (11 digits) and organisasjonsnummer (9 digits, optionally 0192:) have valid mod-11 control digits; a malformed one warns with the reason.";
    AltinnEventSigned => "altinn.event.signed",
        "When events are supplied, each signature record has its own Signed event by the same user within the leeway (fail otherwise, also when the only such event already corroborates another record); a Signed event without a record warns, one superseded by the same user's later signature passes.";
    AltinnSigneesParse => "altinn.signees.parse",
        "The signee state ($id / $values, $ref resolved) lists signee contexts with a known $type: person, organisation, personOnBehalfOfOrg or system.";
    AltinnSigneesAskedVsSigned => "altinn.signees.asked_vs_signed",
        "Each signee asked to sign has a record (matched as the app does): one who has not signed is indeterminate (incomplete, not forged); a record matching no signee warns (signed without being asked: reported, not dropped); so do two counted records by the same signee in one task (a newer signature replaces the older in Storage, so the export is not one state of it).";
}

impl Serialize for CheckId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl std::fmt::Display for CheckId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn ids_are_unique_dotted_and_round_trip() {
        let mut seen = BTreeSet::new();
        for id in CheckId::ALL {
            let name = id.as_str();
            assert!(seen.insert(name), "duplicate check id {name}");
            assert!(name.contains('.'), "{name} is not dotted");
            assert!(name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '_'), "{name} has characters outside [a-z0-9._]");
            assert_eq!(CheckId::from_name(name), Some(*id));
            assert!(id.description().ends_with('.'), "{name}: description must be a sentence");
        }
    }
}
