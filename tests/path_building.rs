//! Certification path building (RFC 5280 §6.1, RFC 4158) with certificates
//! built in the test: backtracking over several issuers of one name,
//! self-issued links (key rollover), and issuer names that match under
//! RFC 5280 §7.1 without being the same bytes.

#[allow(dead_code)]
#[path = "common/certgen.rs"]
mod certgen;

use certgen::{name, name_typed, Key, Spec, PRINTABLE, UTF8};
use sigaudit::pki::{validate_path, PathInput, PathResult, Usage};
use sigaudit::report::{FactValue, Status};
use sigaudit::time::UnixTime;
use sigaudit::x509::Certificate;
use std::sync::Arc;

fn at() -> UnixTime {
    UnixTime::parse_rfc3339("2025-03-10T10:00:00Z").unwrap()
}

fn validate(target: &Arc<Certificate>, intermediates: &[Arc<Certificate>], anchors: &[Arc<Certificate>]) -> PathResult {
    validate_path(&PathInput { target, intermediates, anchors, validation_time: at(), signing_time: Some(at()), usage: Usage::Signer })
}

fn status(r: &PathResult, id: &str) -> Option<Status> {
    r.checks.iter().find(|c| c.id.as_str() == id).map(|c| c.status)
}

fn describe(r: &PathResult) -> String {
    r.checks.iter().map(|c| format!("{} {}: {}", c.id.as_str(), c.status.as_str(), c.message)).collect::<Vec<_>>().join("\n")
}

/// Root -> Inter -> Leaf, with Inter certified twice under one key: once
/// expired in 2024, once valid.
struct TwoInters {
    root: Arc<Certificate>,
    expired: Arc<Certificate>,
    valid: Arc<Certificate>,
    leaf: Arc<Certificate>,
}

fn two_inters() -> TwoInters {
    let (rk, ik, lk) = (Key::new(), Key::new(), Key::new());
    let root = Spec::new(1, name("Root"), name("Root"), &rk, &rk).build();
    let expired = Spec::new(2, name("Inter"), name("Root"), &ik, &rk).validity("200101000000Z", "240601000000Z").build();
    let valid = Spec::new(3, name("Inter"), name("Root"), &ik, &rk).build();
    let leaf = Spec::new(4, name("Leaf"), name("Inter"), &lk, &ik).leaf().build();
    TwoInters { root, expired, valid, leaf }
}

/// The first issuer found reaches the anchor but is expired; the second is
/// valid: the valid path is the result, whatever the order of the candidates.
#[test]
fn backtracks_past_an_expired_issuer_to_a_valid_one() {
    let t = two_inters();
    for order in [[t.expired.clone(), t.valid.clone()], [t.valid.clone(), t.expired.clone()]] {
        let r = validate(&t.leaf, &order, std::slice::from_ref(&t.root));
        assert!(r.trusted(), "{}", describe(&r));
        assert_eq!(r.path.len(), 3);
        assert_eq!(r.path[1].der, t.valid.der);
        assert_eq!(status(&r, "chain.validity"), Some(Status::Pass));
        // A valid path says nothing of the alternatives.
        let anchor = r.checks.iter().find(|c| c.id.as_str() == "chain.anchor").unwrap();
        assert!(!anchor.evidence.iter().any(|f| f.name == "other_paths"), "{anchor:?}");
    }
}

/// The first issuer found has Inter's name and key but is not signed by the
/// root (a dead end): the path through the second one validates.
#[test]
fn backtracks_past_an_issuer_that_does_not_chain() {
    let (rk, ik, lk, stranger) = (Key::new(), Key::new(), Key::new(), Key::new());
    let root = Spec::new(1, name("Root"), name("Root"), &rk, &rk).build();
    let forged = Spec::new(2, name("Inter"), name("Root"), &ik, &stranger).build();
    let valid = Spec::new(3, name("Inter"), name("Root"), &ik, &rk).build();
    let leaf = Spec::new(4, name("Leaf"), name("Inter"), &lk, &ik).leaf().build();
    let r = validate(&leaf, &[forged, valid.clone()], std::slice::from_ref(&root));
    assert!(r.trusted(), "{}", describe(&r));
    assert_eq!(r.path[1].der, valid.der);
}

/// When no path validates, the least bad one is reported and the others are
/// listed in chain.anchor's other_paths fact.
#[test]
fn without_a_valid_path_the_alternatives_are_reported() {
    let (rk, ik, lk) = (Key::new(), Key::new(), Key::new());
    let root = Spec::new(1, name("Root"), name("Root"), &rk, &rk).build();
    let expired = Spec::new(2, name("Inter"), name("Root"), &ik, &rk).validity("200101000000Z", "240601000000Z").build();
    // The second is an end-entity certificate (not a CA): chain.basic_constraints fails.
    let not_ca = Spec::new(3, name("Inter"), name("Root"), &ik, &rk).leaf().build();
    let leaf = Spec::new(4, name("Leaf"), name("Inter"), &lk, &ik).leaf().build();
    let r = validate(&leaf, &[expired.clone(), not_ca.clone()], std::slice::from_ref(&root));
    assert!(!r.trusted());
    assert_eq!(r.path.len(), 3, "{}", describe(&r));
    // Both fail: the first found is reported (deterministic), the other listed.
    assert_eq!(r.path[1].der, expired.der);
    assert_eq!(status(&r, "chain.validity"), Some(Status::Fail));
    let anchor = r.checks.iter().find(|c| c.id.as_str() == "chain.anchor").unwrap();
    let others = anchor.evidence.iter().find(|f| f.name == "other_paths").expect("other_paths");
    match &others.value {
        FactValue::List(items) => {
            assert_eq!(items.len(), 1, "{items:?}");
            assert!(items[0].contains("chain.basic_constraints fail"), "{items:?}");
        }
        other => panic!("{other:?}"),
    }
}

/// Root key rollover (RFC 4210 §4.4): the anchor is the old root; the leaf is
/// signed by the new root key; the NewWithOld certificate (subject = issuer =
/// Root, new key, signed by the old key) links them. Self-issued, not an
/// anchor: an ordinary link (RFC 5280 §6.1).
#[test]
fn self_issued_rollover_certificate_is_a_link() {
    let (old, new, lk) = (Key::new(), Key::new(), Key::new());
    let old_root = Spec::new(1, name("Root"), name("Root"), &old, &old).build();
    let new_with_old = Spec::new(2, name("Root"), name("Root"), &new, &old).build();
    let leaf = Spec::new(3, name("Leaf"), name("Root"), &lk, &new).leaf().build();
    let r = validate(&leaf, std::slice::from_ref(&new_with_old), std::slice::from_ref(&old_root));
    assert!(r.trusted(), "{}", describe(&r));
    assert_eq!(r.path.len(), 3);
    assert_eq!(r.path[1].der, new_with_old.der);
    assert_eq!(r.anchor.as_ref().unwrap().der, old_root.der);
}

/// A self-issued intermediate does not count towards a pathLenConstraint
/// (RFC 5280 §4.2.1.9, §6.1.4(l)): Inter (pathLen 0) over its own rollover
/// certificate over the leaf is within the constraint; a distinct CA in the
/// same place is not.
#[test]
fn self_issued_intermediates_do_not_count_towards_path_length() {
    let (rk, old, new, lk) = (Key::new(), Key::new(), Key::new(), Key::new());
    let root = Spec::new(1, name("Root"), name("Root"), &rk, &rk).build();
    let inter = Spec::new(2, name("Inter"), name("Root"), &old, &rk).path_len(0).build();
    let rollover = Spec::new(3, name("Inter"), name("Inter"), &new, &old).build();
    let leaf = Spec::new(4, name("Leaf"), name("Inter"), &lk, &new).leaf().build();
    let r = validate(&leaf, &[inter.clone(), rollover], std::slice::from_ref(&root));
    assert!(r.trusted(), "{}", describe(&r));
    assert_eq!(r.path.len(), 4);
    assert_eq!(status(&r, "chain.basic_constraints"), Some(Status::Pass));

    let sub = Spec::new(5, name("Sub"), name("Inter"), &new, &old).build();
    let leaf2 = Spec::new(6, name("Leaf"), name("Sub"), &lk, &new).leaf().build();
    let r = validate(&leaf2, &[inter, sub], std::slice::from_ref(&root));
    assert_eq!(status(&r, "chain.basic_constraints"), Some(Status::Fail), "{}", describe(&r));
}

/// The leaf names its issuer with other string types, case and spaces than
/// the issuer's subject: the names match (RFC 5280 §7.1, RFC 4518).
#[test]
fn issuer_names_match_across_string_types_case_and_spaces() {
    let (rk, ik) = (Key::new(), Key::new());
    let root = Spec::new(1, name("Root"), name("Root"), &rk, &rk).build();
    let inter = Spec::new(2, name_typed("Issuing CA", PRINTABLE), name("Root"), &ik, &rk).build();
    for (serial, issuer) in [(3, name_typed("Issuing CA", UTF8)), (4, name_typed("issuing  ca", PRINTABLE)), (5, name_typed(" ISSUING CA ", UTF8))] {
        let lk = Key::new();
        let leaf = Spec::new(serial, name("Leaf"), issuer, &lk, &ik).leaf().build();
        let r = validate(&leaf, std::slice::from_ref(&inter), std::slice::from_ref(&root));
        assert!(r.trusted(), "{}", describe(&r));
        assert_eq!(status(&r, "chain.name"), Some(Status::Pass));
    }
    // Another name stays another name.
    let lk = Key::new();
    let leaf = Spec::new(6, name("Leaf"), name_typed("Issuing CB", UTF8), &lk, &ik).leaf().build();
    let r = validate(&leaf, std::slice::from_ref(&inter), std::slice::from_ref(&root));
    assert!(!r.trusted());
    assert_eq!(status(&r, "chain.anchor"), Some(Status::Indeterminate), "{}", describe(&r));
}

/// A trust anchor is a name and a key: the CA certificate in the evidence,
/// re-encoded (PrintableString where the anchor has UTF8String), is the anchor.
#[test]
fn anchor_is_recognised_by_matching_name_and_key() {
    let (ik, lk, other) = (Key::new(), Key::new(), Key::new());
    let anchor = Spec::new(1, name_typed("Issuing CA", UTF8), name("Some other root"), &ik, &other).build();
    let in_evidence = Spec::new(2, name_typed("Issuing CA", PRINTABLE), name("Root"), &ik, &other).build();
    let leaf = Spec::new(3, name("Leaf"), name_typed("Issuing CA", PRINTABLE), &lk, &ik).leaf().build();
    let r = validate(&leaf, std::slice::from_ref(&in_evidence), std::slice::from_ref(&anchor));
    assert!(r.trusted(), "{}", describe(&r));
    assert_eq!(r.anchor.as_ref().unwrap().der, anchor.der);
}

/// A Name of single-attribute RDNs (UTF8String values), most general first:
/// (last arc under 2.5.4, value), e.g. (6, "DK") for C, (3, ..) for CN, (11, ..) for OU.
fn dn(rdns: &[(u8, &str)]) -> Vec<u8> {
    use certgen::{der, seq};
    seq(&rdns.iter().map(|(arc, v)| der(0x31, &seq(&[der(0x06, &[0x55, 0x04, *arc]), der(UTF8, v.as_bytes())]))).collect::<Vec<_>>())
}

/// nameConstraints (RFC 5280 §4.2.1.10) permitting one directoryName subtree.
fn permit_directory(subtree: &[u8]) -> Vec<u8> {
    use certgen::{der, seq};
    seq(&[der(0xA0, &seq(&[der(0xA4, subtree)]))])
}

const NAME_CONSTRAINTS: &[u8] = &[0x55, 0x1D, 0x1E];

/// RFC 5280 §6.1.3(b): the constraints of a CA apply to the certificates
/// below it, except self-issued intermediates. Root -> A (permits only
/// names under C=DK, CN=A, OU=users) -> A' (self-issued key rollover of A,
/// outside that subtree) -> leaf (inside): the rollover certificate is exempt
/// and the path is valid; a leaf outside the subtree fails, naming both.
#[test]
fn name_constraints_skip_self_issued_intermediates() {
    let (rk, ak1, ak2, lk) = (Key::new(), Key::new(), Key::new(), Key::new());
    let a = dn(&[(6, "DK"), (3, "A")]);
    let root = Spec::new(1, name("Root"), name("Root"), &rk, &rk).build();
    let ca = Spec::new(2, a.clone(), name("Root"), &ak1, &rk)
        .extension(NAME_CONSTRAINTS, true, permit_directory(&dn(&[(6, "dk"), (3, "a"), (11, "Users")])))
        .build();
    let rollover = Spec::new(3, a.clone(), a.clone(), &ak2, &ak1).build();
    assert!(rollover.is_self_issued() && ca.extensions.name_constraints.is_some());
    let inside = Spec::new(4, dn(&[(6, "DK"), (3, "A"), (11, "users"), (3, "Anna")]), a.clone(), &lk, &ak2).leaf().build();
    let r = validate(&inside, &[ca.clone(), rollover.clone()], std::slice::from_ref(&root));
    assert_eq!(r.path.len(), 4, "{}", describe(&r));
    assert!(r.trusted(), "{}", describe(&r));
    assert_eq!(status(&r, "chain.name_constraints"), Some(Status::Pass));

    let outside = Spec::new(5, dn(&[(6, "DK"), (3, "A"), (11, "staff"), (3, "Bo")]), a, &lk, &ak2).leaf().build();
    let r = validate(&outside, &[ca, rollover], std::slice::from_ref(&root));
    assert_eq!(status(&r, "chain.name_constraints"), Some(Status::Fail), "{}", describe(&r));
    let msg = &r.checks.iter().find(|c| c.id.as_str() == "chain.name_constraints").unwrap().message;
    assert!(msg.starts_with("'CN=Bo, OU=staff, CN=A, C=DK' violates the name constraints of 'CN=A, C=DK'"), "{msg}");
    assert_eq!(msg.matches("violates").count(), 1, "the self-issued A' is not judged: {msg}");
}

/// Without nameConstraints on the path there is no chain.name_constraints;
/// constraints on the anchor apply to the path below it.
#[test]
fn name_constraints_reported_only_when_present_and_anchor_constraints_apply() {
    let t = two_inters();
    let r = validate(&t.leaf, std::slice::from_ref(&t.valid), std::slice::from_ref(&t.root));
    assert!(r.trusted() && status(&r, "chain.name_constraints").is_none(), "{}", describe(&r));

    let (rk, ik, lk) = (Key::new(), Key::new(), Key::new());
    let root = Spec::new(1, name("Root"), name("Root"), &rk, &rk).extension(NAME_CONSTRAINTS, true, permit_directory(&dn(&[(6, "SE")]))).build();
    let inter = Spec::new(2, name("Inter"), name("Root"), &ik, &rk).build();
    let leaf = Spec::new(3, name("Leaf"), name("Inter"), &lk, &ik).leaf().build();
    let r = validate(&leaf, &[inter], std::slice::from_ref(&root));
    assert_eq!(status(&r, "chain.name_constraints"), Some(Status::Fail), "{}", describe(&r));
    let msg = &r.checks.iter().find(|c| c.id.as_str() == "chain.name_constraints").unwrap().message;
    assert!(msg.contains("'CN=Inter, C=DK' violates") && msg.contains("'CN=Leaf, C=DK' violates"), "{msg}");
}
