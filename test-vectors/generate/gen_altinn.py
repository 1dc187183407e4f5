#!/usr/bin/env python3
"""Altinn 3 signing-record test vectors for sigaudit (group altinn/).

How to run
----------
    python3 test-vectors/generate/gen_altinn.py     # standard library only
    cargo test --test vectors                       # the verifier against them

What it makes
-------------
Scenario folders in the format of ``test-vectors/README.md``: ``input/`` holds
the files of one Altinn 3 instance export folder (altinn.md "What an auditor's
export looks like"):

- ``instance.json``: the instance metadata as Storage returns it
  (``GET storage/api/v1/instances/{partyId}/{instanceGuid}``), camelCase, with
  ``data[]``;
- one file per data element, named by its id with an extension
  (``<dataGuid>.xml``), or without one (``minimal-export``);
- signature records as Storage writes them (camelCase, indented, nulls written;
  one PascalCase record in ``pascalcase-signature``), each a data element of type
  ``signature`` named ``<dataGuid>.json``;
- the signee state (``signeeState`` data element) as the app writes it, with
  .NET reference preservation (``$id`` / ``$values`` / ``$ref``, ``$type``,
  PascalCase ``Signee`` members next to camelCase ``taskId`` / ``signeeState``);
- ``events.json``: ``{"instanceEvents": [...]}`` from
  ``GET .../events?eventTypes=Signed``.

``options.json`` holds ``at`` (the day after signing); ``expected.json`` the
verdict and the exact fail / indeterminate / warn id sets plus a pass subset.

The instance: app ``ttd/signing-demo`` of party 50001337 (organisation
991825827), a form (``model``, XML) and an attachment (``attachment``, the
four bytes ``whatever``: SHA-256 85738f8f...c281, the known answer of
altinn.md), signed in task ``Task_2`` by three signees: a person (01039012460),
a person on behalf of an organisation (15058045656 for 974760673) and a system
user of 974760673. Other numbers (a D-number, a synthetic Tenor test number) are
computed here with the control-digit rules of altinn.md, independently of the
Rust code.

Conventions behind expected.json (the check descriptions in src/checks.rs):
hash or size differing from the record, a record of another instance, a
createdBy that is not the signee, a Signed event that contradicts a record:
fail. A data element, or a listed signature record, not supplied; a signee who
has not signed; no instance metadata: indeterminate (incomplete, not forged).
A malformed identifier, a record matching no signee (signed without being
asked), a data element of a signed type no record covers, lastChanged after
signing with the bytes still as hashed, a Signed event with no record: warn.

Determinism: GUIDs are uuid5 of fixed names, times are fixed; every run writes
the same bytes.

Ownership
---------
This script owns the scenario folders listed in ``owned_altinn.txt`` next to it
(disjoint from gen.py's ``owned.txt`` and gen_pades.py's ``owned_pades.txt``). A
run deletes the folders of the previous list and of its own, then writes them
again; nothing else is touched.
"""

from __future__ import annotations

import copy
import hashlib
import json
import shutil
import sys
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCENARIOS = HERE.parent / "scenarios"
GROUP = "altinn"
OWNED_LIST = HERE / "owned_altinn.txt"

NS = uuid.UUID("5b0c3f1e-8a4d-4c1e-9f57-2a7d1c0e9b11")


def guid(name: str) -> str:
    return str(uuid.uuid5(NS, name))


def pretty_json(obj) -> bytes:
    return (json.dumps(obj, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


assert sha256_hex(b"whatever") == "85738f8f9a7f1b04b5329c590ebcb9e425925c6d0984089c43a022de4f19c281"

# --- identifiers (altinn.md check 6), written from the rules, not from the Rust code ---------


def _mod11(digits: list[int], weights: list[int]):
    k = 11 - sum(d * w for d, w in zip(digits, weights)) % 11
    return 0 if k == 11 else (None if k == 10 else k)


def fnr_valid(s: str) -> bool:
    if len(s) != 11 or not s.isdigit():
        return False
    d = [int(c) for c in s]
    k1 = _mod11(d[:9], [3, 7, 6, 1, 8, 9, 4, 5, 2])
    k2 = _mod11(d[:10], [5, 4, 3, 2, 7, 6, 5, 4, 3, 2])
    return k1 == d[9] and k2 == d[10]


def orgnr_valid(s: str) -> bool:
    s = s.removeprefix("0192:")
    if len(s) != 9 or not s.isdigit():
        return False
    d = [int(c) for c in s]
    return _mod11(d[:8], [3, 2, 7, 6, 5, 4, 3, 2]) == d[8]


def complete_fnr(six: str, start: int) -> str:
    """The first valid number with birth part `six` and individual number >= start."""
    for ind in range(start, 1000):
        nine = f"{six}{ind:03d}"
        d = [int(c) for c in nine]
        k1 = _mod11(d, [3, 7, 6, 1, 8, 9, 4, 5, 2])
        if k1 is None:
            continue
        k2 = _mod11(d + [k1], [5, 4, 3, 2, 7, 6, 5, 4, 3, 2])
        if k2 is None:
            continue
        return f"{nine}{k1}{k2}"
    raise ValueError(six)


for n in ("01039012460", "15058045656"):
    assert fnr_valid(n), n
for n in ("991825827", "974760673"):
    assert orgnr_valid(n), n

KARI = "01039012460"            # person
OLA = "15058045656"             # person on behalf of FIRMA
FIRMA = "974760673"             # the organisation Ola and the system user act for
OWNER_ORG = "991825827"         # the instance owner
D_NUMBER = complete_fnr("420885", 100)    # 02.08.85 + 40 on the day: a D-number
TENOR = complete_fnr("128895", 200)       # 12.08.95 + 80 on the month: synthetic (Tenor)
MALFORMED = KARI[:10] + str((int(KARI[10]) + 1) % 10)   # second control digit wrong
assert fnr_valid(D_NUMBER) and fnr_valid(TENOR) and not fnr_valid(MALFORMED)

# --- the instance ---------------------------------------------------------------------------

PARTY = "50001337"
APP = "ttd/signing-demo"
INSTANCE = guid("instance")
OTHER_INSTANCE = guid("another instance")
INSTANCE_ID = f"{PARTY}/{INSTANCE}"
TASK = "Task_2"
SYSTEM_USER = guid("system user of Firma AS")
AT = "2025-03-11T00:00:00Z"

MODEL_XML = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<Skjema xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
    "  <Soeker><Navn>Kari Nordmann</Navn><Foedselsnummer>01039012460</Foedselsnummer></Soeker>\n"
    "  <Avtale><Belop>125000</Belop><Valuta>NOK</Valuta><Formaal>Leie av lokaler</Formaal></Avtale>\n"
    "</Skjema>\n"
).encode()
WHATEVER = b"whatever"


def de_json(id_, data_type, filename, content_type, size, created, created_by, last_changed=None, last_changed_by=None, locked=False, task=None):
    """A DataElement as Storage serialises it."""
    return {
        "id": id_,
        "instanceGuid": INSTANCE,
        "dataType": data_type,
        "filename": filename,
        "contentType": content_type,
        "blobStoragePath": f"ttd/signing-demo/{INSTANCE}/data/{id_}",
        "selfLinks": {
            "apps": f"https://ttd.apps.altinn.no/ttd/signing-demo/instances/{INSTANCE_ID}/data/{id_}",
            "platform": f"https://platform.altinn.no/storage/api/v1/instances/{INSTANCE_ID}/data/{id_}",
        },
        "size": size,
        "contentHash": None,
        "locked": locked,
        "refs": None,
        "isRead": True,
        "tags": [],
        "userDefinedMetadata": None,
        "metadata": None,
        "deleteStatus": None,
        "fileScanResult": "NotApplicable",
        "references": [{"relation": "GeneratedFrom", "valueType": "Task", "value": task}] if task else None,
        "created": created,
        "createdBy": created_by,
        "lastChanged": last_changed or created,
        "lastChangedBy": last_changed_by or created_by,
    }


class Signer:
    def __init__(self, key, user_id, person=None, org=None, system_user=None, name=None, org_name=None, signed=None):
        self.key = key
        self.user_id = user_id
        self.person = person
        self.org = org
        self.system_user = system_user
        self.name = name
        self.org_name = org_name
        self.signed = signed
        self.record_id = guid(f"signature record {key}")

    @property
    def created_by(self):
        # Storage: the caller's userId, or for a system user its owner's organisation number.
        return self.user_id if self.user_id else self.org


SIGNERS = [
    Signer("kari", "1337", person=KARI, name="Kari Nordmann", signed="2025-03-10T10:00:00.6250698Z"),
    Signer("ola", "1338", person=OLA, org=FIRMA, name="Ola Nordmann", org_name="Firma AS", signed="2025-03-10T10:15:30.1234567Z"),
    Signer("system", None, org=FIRMA, system_user=SYSTEM_USER, org_name="Firma AS", signed="2025-03-10T10:30:45.9876543Z"),
]


def event_time(signed: str, ms: int = 12) -> str:
    """signedTime plus a few milliseconds (Storage writes the event after storing the record)."""
    head, frac = signed[:-1].split(".")
    ticks = int(frac.ljust(7, "0")) + ms * 10_000 + 3456
    assert ticks < 10_000_000
    return f"{head}.{ticks:07d}Z"


class Export:
    """One instance export: data elements, records, signee state, events; then files."""

    def __init__(self):
        self.model_id = guid("model")
        self.attachment_id = guid("attachment")
        self.state_id = guid("signee state")
        self.files = {}  # name -> bytes (besides instance.json, records, state, events)
        self.model = MODEL_XML
        self.attachment = WHATEVER
        self.extensions = True
        self.elements = []  # extra DataElement dicts (content)
        self.model_meta = {"lastChanged": "2025-03-10T09:30:00.5Z", "lastChangedBy": "1337"}
        self.signers = copy.deepcopy(SIGNERS)
        self.asked = None  # signee contexts; default: the three signers
        self.with_state = True
        self.with_events = True
        self.with_instance = True
        self.pascal = set()  # keys of signers whose record is PascalCase
        self.record_overrides = {}  # key -> dict of record member overrides
        self.element_overrides = {}  # record key -> dict of data element overrides
        self.drop_files = set()  # data element ids whose files are left out
        self.drop_elements = set()  # data element ids left out of instance.json
        self.event_overrides = {}  # key -> created
        self.covered = None  # ids each record covers (default model + attachment)
        self.omit = {}  # key -> data element ids that signer's record leaves out
        self.unsigned = set()  # keys of signers whose record marks every entry "signed": false
        self.no_event = set()  # keys of signers without a Signed event
        self.model_bytes_at_signing = None

    # -- records ----------------------------------------------------------------
    def record(self, s: Signer) -> bytes:
        covered = self.covered or [(self.model_id, self.model_bytes_at_signing or self.model), (self.attachment_id, self.attachment)]
        doc = {
            "id": s.record_id,
            "instanceGuid": INSTANCE,
            "signedTime": s.signed,
            "signeeInfo": {
                "userId": s.user_id,
                "systemUserId": s.system_user,
                "personNumber": s.person,
                "organisationNumber": s.org,
            },
            "dataElementSignatures": [
                {"dataElementId": i, "sha256Hash": sha256_hex(b), "signed": s.key not in self.unsigned}
                for i, b in covered if i not in self.omit.get(s.key, ())
            ],
        }
        doc.update(self.record_overrides.get(s.key, {}))
        if s.key in self.pascal:
            doc = pascal(doc)
        return pretty_json(doc)

    # -- signee state (.NET ReferenceHandler.Preserve) ------------------------------
    def state(self) -> bytes:
        counter = [1]

        def nid():
            counter[0] += 1
            return str(counter[0])

        org_ids = {}

        def org_obj(number, name):
            if number in org_ids:
                return {"$ref": org_ids[number]}
            oid = nid()
            org_ids[number] = oid
            return {"$id": oid, "OrgParty": {"$id": nid(), "partyId": 50002000 + int(number) % 1000, "orgNumber": number, "ssn": None, "name": name}, "OrgNumber": number, "OrgName": name}

        def person_party(ssn, name):
            return {"$id": nid(), "partyId": 50003000 + int(ssn[:4]), "orgNumber": None, "ssn": ssn, "name": name}

        values = []
        for a in self.asked if self.asked is not None else [default_context(s) for s in self.signers]:
            ctx = {"$id": nid(), "taskId": a.get("task", TASK)}
            t = a["type"]
            if t == "person":
                signee = {"$id": nid(), "$type": "person", "Party": person_party(a["ssn"], a["name"]), "SocialSecurityNumber": a["ssn"], "FullName": a["name"]}
            elif t == "personOnBehalfOfOrg":
                signee = {"$id": nid(), "$type": "personOnBehalfOfOrg", "Party": person_party(a["ssn"], a["name"]), "SocialSecurityNumber": a["ssn"], "FullName": a["name"], "OnBehalfOfOrg": org_obj(a["org"], a["org_name"])}
            elif t == "system":
                signee = {"$id": nid(), "$type": "system", "SystemId": a["system"], "OnBehalfOfOrg": org_obj(a["org"], a["org_name"])}
            elif t == "organisation":
                sid = nid()
                oid = nid()
                signee = {"$id": sid, "$type": "organisation", "OrgParty": {"$id": oid, "partyId": 50002827, "orgNumber": a["org"], "ssn": None, "name": a["org_name"]}, "OrgNumber": a["org"], "OrgName": a["org_name"]}
            else:
                raise ValueError(t)
            ctx["Signee"] = signee
            ctx["notifications"] = None
            ctx["signeeState"] = {
                "$id": nid(),
                "isAccessDelegated": True,
                "delegationFailedReason": None,
                "hasBeenMessagedForCallToSign": True,
                "ctaCorrespondenceId": guid(f"cta {a.get('ssn') or a.get('system') or a.get('org')}"),
                "callToSignFailedReason": None,
            }
            values.append(ctx)
        return pretty_json({"$id": "1", "$values": values})

    # -- events ---------------------------------------------------------------------
    def events(self) -> bytes:
        evs = []
        for s in self.signers:
            if s.signed is None or s.key in self.no_event:
                continue
            evs.append({
                "id": guid(f"event {s.key}"),
                "instanceId": INSTANCE_ID,
                "dataId": None,
                "created": self.event_overrides.get(s.key, event_time(s.signed)),
                "eventType": "Signed",
                "instanceOwnerPartyId": PARTY,
                "user": {
                    "userId": int(s.user_id) if s.user_id else None,
                    "authenticationLevel": 3,
                    "orgId": None,
                    "systemUserId": s.system_user,
                    "systemUserOwnerOrgNo": s.org if s.system_user else None,
                    "endUserSystemId": None,
                    "nationalIdentityNumber": None,
                },
                "processInfo": {"started": "2025-03-10T09:00:00.1234567Z", "currentTask": {"elementId": TASK, "altinnTaskType": "signing"}},
                "additionalInfo": None,
            })
        return pretty_json({"instanceEvents": evs})

    # -- the folder -----------------------------------------------------------------
    def write(self, input_dir: Path):
        input_dir.mkdir(parents=True)
        ext = (lambda e: e) if self.extensions else (lambda e: "")
        data = [
            de_json(self.model_id, "model", "model.xml", "application/xml", len(self.model), "2025-03-10T09:01:02.3456789Z", "1337", self.model_meta["lastChanged"], self.model_meta["lastChangedBy"]),
            de_json(self.attachment_id, "attachment", "whatever.txt", "text/plain", len(self.attachment), "2025-03-10T09:10:11.0000001Z", "1337"),
        ]
        files = {f"{self.model_id}{ext('.xml')}": self.model, f"{self.attachment_id}{ext('.txt')}": self.attachment}
        for el, content, suffix in self.elements:
            data.append(el)
            files[f"{el['id']}{ext(suffix)}"] = content
        if self.with_state:
            state = self.state()
            data.append(de_json(self.state_id, "signeeState", "signeeState.json", "application/json", len(state), "2025-03-10T09:45:00.25Z", "1337", task=TASK))
            files[f"{self.state_id}{ext('.json')}"] = state
        for s in self.signers:
            if s.signed is None:
                continue
            rec = self.record(s)
            el = de_json(s.record_id, "signature", "signature.json", "application/json", len(rec), s.signed, s.created_by, locked=True, task=TASK)
            el.update(self.element_overrides.get(s.key, {}))
            data.append(el)
            files[f"{s.record_id}{ext('.json')}"] = rec
        for id_ in self.drop_files:
            for name in [n for n in files if n.startswith(id_)]:
                del files[name]
        data = [d for d in data if d["id"] not in self.drop_elements]
        if self.with_instance:
            files["instance.json"] = pretty_json(instance_json(data))
        if self.with_events:
            files["events.json"] = self.events()
        for name, content in sorted(files.items()):
            (input_dir / name).write_bytes(content)


def default_context(s: Signer) -> dict:
    if s.system_user:
        return {"type": "system", "system": s.system_user, "org": s.org, "org_name": s.org_name}
    if s.org:
        return {"type": "personOnBehalfOfOrg", "ssn": s.person, "name": s.name, "org": s.org, "org_name": s.org_name}
    return {"type": "person", "ssn": s.person, "name": s.name}


def instance_json(data: list) -> dict:
    return {
        "id": INSTANCE_ID,
        "instanceOwner": {"partyId": PARTY, "personNumber": None, "organisationNumber": OWNER_ORG, "username": None},
        "appId": APP,
        "org": "ttd",
        "selfLinks": {
            "apps": f"https://ttd.apps.altinn.no/ttd/signing-demo/instances/{INSTANCE_ID}",
            "platform": f"https://platform.altinn.no/storage/api/v1/instances/{INSTANCE_ID}",
        },
        "dueBefore": None,
        "visibleAfter": None,
        "process": {
            "started": "2025-03-10T09:00:00.1234567Z",
            "startEvent": "StartEvent_1",
            "currentTask": None,
            "ended": "2025-03-10T10:31:00.0000001Z",
            "endEvent": "EndEvent_1",
        },
        "status": {"isArchived": True, "archived": "2025-03-10T10:31:00.0000001Z", "isSoftDeleted": False, "softDeleted": None, "isHardDeleted": False, "hardDeleted": None, "readStatus": 1, "substatus": None},
        "completeConfirmations": None,
        "data": data,
        "presentationTexts": None,
        "dataValues": None,
        "created": "2025-03-10T09:00:00.1234567Z",
        "createdBy": "1337",
        "lastChanged": "2025-03-10T10:31:00.0000001Z",
        "lastChangedBy": "1337",
    }


def pascal(v):
    """PascalCase member names, as a short-lived Storage build wrote them."""
    if isinstance(v, dict):
        return {k[:1].upper() + k[1:]: pascal(x) for k, x in v.items()}
    if isinstance(v, list):
        return [pascal(x) for x in v]
    return v


# --- scenarios ------------------------------------------------------------------------------

ALL_PASS = [
    "altinn.record", "altinn.instance", "altinn.signature.parse", "altinn.signature.id",
    "altinn.signature.instance_guid", "altinn.signature.time", "altinn.signature.data_element_hash",
    "altinn.signature.data_element_size", "altinn.data_element.unsigned_or_changed",
    "altinn.signee.user", "altinn.signee.identifier", "altinn.event.signed",
    "altinn.signees.parse", "altinn.signees.asked_vs_signed", "input.recognised",
]


class Scenario:
    def __init__(self, name, about, export, verdict, fail=(), indeterminate=(), warn=(), passes=ALL_PASS, at=AT):
        self.name, self.about, self.export, self.verdict = name, about, export, verdict
        self.fail, self.indeterminate, self.warn, self.passes, self.at = fail, indeterminate, warn, passes, at

    def write(self):
        d = SCENARIOS / GROUP / self.name
        self.export.write(d / "input")
        (d / "options.json").write_bytes(pretty_json({"at": self.at}))
        (d / "expected.json").write_bytes(pretty_json({
            "about": self.about,
            "verdict": self.verdict,
            "fail": sorted(self.fail),
            "indeterminate": sorted(self.indeterminate),
            "warn": sorted(self.warn),
            "pass": sorted(self.passes),
        }))


def scenarios() -> list[Scenario]:
    out = []

    e = Export()
    out.append(Scenario(
        "all-signed-intact",
        "Three signees (a person, a person on behalf of an organisation, a system user) signed the form and the attachment "
        "(the bytes 'whatever', SHA-256 85738f8f...c281); every hash, size, time, createdBy, Signed event and signee matches: pass "
        "(and altinn.record says these are records kept by Altinn, not cryptographic signatures).",
        e, "pass"))

    e = Export()
    e.model_bytes_at_signing = MODEL_XML
    e.model = MODEL_XML.replace(b"125000", b"925000")
    e.model_meta = {"lastChanged": "2025-03-10T11:02:03.4567891Z", "lastChangedBy": "1337"}
    out.append(Scenario(
        "data-element-changed-after-signing",
        "The form was changed after all three signatures (new bytes, instance metadata size and lastChanged updated as Storage would): "
        "its SHA-256 matches no record, so altinn.signature.data_element_hash and altinn.data_element.unsigned_or_changed fail.",
        e, "fail", fail=["altinn.signature.data_element_hash", "altinn.data_element.unsigned_or_changed"]))

    e = Export()
    e.drop_files = {e.attachment_id}
    out.append(Scenario(
        "data-element-missing",
        "The export lacks the attachment's file although the instance lists it and every record covers it: "
        "whether it is unchanged cannot be decided, so altinn.signature.data_element_hash is indeterminate.",
        e, "indeterminate", indeterminate=["altinn.signature.data_element_hash"]))

    e = Export()
    e.drop_files = {e.attachment_id}
    e.drop_elements = {e.attachment_id}
    out.append(Scenario(
        "data-element-deleted",
        "The records cover an attachment the instance no longer lists (deleted after signing, file gone): "
        "altinn.signature.data_element_hash fails.",
        e, "fail", fail=["altinn.signature.data_element_hash"]))

    e = Export()
    extra = Signer("dnumber", "1400", person=D_NUMBER, name="Jan Utlending", signed="2025-03-10T10:40:00.5Z")
    e.signers.append(extra)
    e.asked = [default_context(s) for s in SIGNERS]
    out.append(Scenario(
        "signed-without-being-asked",
        f"A fourth record by a person with D-number {D_NUMBER} whom the signee state does not list (signed through policy rights): "
        "reported, not dropped: altinn.signees.asked_vs_signed warns; everything else holds.",
        e, "warn", warn=["altinn.signees.asked_vs_signed"]))

    e = Export()
    e.asked = [default_context(s) for s in SIGNERS] + [{"type": "person", "ssn": TENOR, "name": "Test Testesen"}]
    out.append(Scenario(
        "signee-not-signed",
        f"The signee state lists a fourth signee (synthetic Tenor test number {TENOR}) who has not signed: signing is incomplete, "
        "not forged: altinn.signees.asked_vs_signed is indeterminate.",
        e, "indeterminate", indeterminate=["altinn.signees.asked_vs_signed"]))

    e = Export()
    e.signers[0].person = MALFORMED
    out.append(Scenario(
        "malformed-fodselsnummer",
        f"The person signee's fødselsnummer {MALFORMED} (in the record and the signee state) has a wrong second control digit: "
        "altinn.signee.identifier warns with the reason; the record still matches its signee.",
        e, "warn", warn=["altinn.signee.identifier"]))

    e = Export()
    e.pascal = {"kari"}
    out.append(Scenario(
        "pascalcase-signature",
        "The person's record is written with PascalCase member names (a short-lived Storage build): it is read like the camelCase "
        "ones and everything holds: pass.",
        e, "pass"))

    e = Export()
    e.record_overrides = {"kari": {"instanceGuid": OTHER_INSTANCE}}
    out.append(Scenario(
        "instance-guid-of-another-instance",
        "The person's record names another instance's GUID: altinn.signature.instance_guid fails, the record is not counted, "
        "so that signee has not signed as far as this instance goes (altinn.signees.asked_vs_signed indeterminate).",
        e, "fail", fail=["altinn.signature.instance_guid"], indeterminate=["altinn.signees.asked_vs_signed"]))

    e = Export()
    e.event_overrides = {"ola": "2025-03-10T11:15:30.1234567Z"}
    out.append(Scenario(
        "signed-event-mismatch",
        "events.json records the person-on-behalf-of-organisation's Signed event an hour after the record's signedTime: "
        "Altinn's two records disagree: altinn.event.signed fails.",
        e, "fail", fail=["altinn.event.signed"]))

    e = Export()
    e.signers = [Signer("kari-for-owner", "1337", person=KARI, org=OWNER_ORG, name="Kari Nordmann", signed="2025-03-10T10:00:00.6250698Z")]
    e.asked = [{"type": "organisation", "org": OWNER_ORG, "org_name": "Eksempel AS"}]
    out.append(Scenario(
        "organisation-signee",
        "An organisation signee (991825827) satisfied by a person signing on its behalf (matched by organisation number, as the app "
        "does): pass.",
        e, "pass"))

    e = Export()
    late = guid("late attachment")
    late_bytes = b"Vedlegg lagt til etter signering.\n"
    e.elements.append((de_json(late, "attachment", "late.txt", "text/plain", len(late_bytes), "2025-03-10T11:00:00.0000001Z", "1337"), late_bytes, ".txt"))
    out.append(Scenario(
        "unsigned-attachment-added",
        "An attachment of a signed type was added after the last signature: no record covers it: "
        "altinn.data_element.unsigned_or_changed warns.",
        e, "warn", warn=["altinn.data_element.unsigned_or_changed"]))

    e = Export()
    e.model_meta = {"lastChanged": "2025-03-10T11:02:03.4567891Z", "lastChangedBy": "1337"}
    out.append(Scenario(
        "metadata-changed-after-signing",
        "The form's lastChanged is after the signatures but its bytes are still those hashed (metadata changed, or the same bytes "
        "written again): altinn.data_element.unsigned_or_changed warns; the hashes pass.",
        e, "warn", warn=["altinn.data_element.unsigned_or_changed"]))

    e = Export()
    e.element_overrides = {"kari": {"createdBy": "2001", "lastChangedBy": "2001"}}
    out.append(Scenario(
        "signee-user-mismatch",
        "The person's record names userId 1337, but the instance metadata says user 2001 created it: "
        "altinn.signee.user fails.",
        e, "fail", fail=["altinn.signee.user"]))

    e = Export()
    e.with_state = False
    e.with_events = False
    e.extensions = False
    out.append(Scenario(
        "minimal-export",
        "Only instance.json, the data elements and the records, each file named by its data element id without an extension: "
        "every record is checked; without signee state or events nothing more is claimed: pass.",
        e, "pass",
        passes=[p for p in ALL_PASS if p not in ("altinn.event.signed", "altinn.signees.parse", "altinn.signees.asked_vs_signed")]))

    e = Export()
    e.with_instance = False
    out.append(Scenario(
        "records-without-instance",
        "The records, signee state, events and data element files without instance.json (files dropped in the browser without it): "
        "hashes, events and signees are checked; altinn.instance and altinn.signature.instance_guid are indeterminate.",
        e, "indeterminate", indeterminate=["altinn.instance", "altinn.signature.instance_guid"],
        passes=["altinn.record", "altinn.signature.parse", "altinn.signature.data_element_hash", "altinn.event.signed",
                "altinn.signees.asked_vs_signed", "altinn.signee.identifier", "input.recognised"]))

    e = Export()
    e.drop_files = {e.signers[2].record_id}
    out.append(Scenario(
        "signature-record-missing",
        "The instance lists the system user's record but its file is missing: altinn.signature.parse is indeterminate, the system "
        "user has not signed as far as the export shows (altinn.signees.asked_vs_signed indeterminate), and its Signed event has no "
        "record (altinn.event.signed warns).",
        e, "indeterminate", indeterminate=["altinn.signature.parse", "altinn.signees.asked_vs_signed"], warn=["altinn.event.signed"]))

    e = Export()
    e.unsigned = {"kari"}
    out.append(Scenario(
        "record-marked-unsigned",
        "The person's record marks every dataElementSignatures entry \"signed\": false (the hashes still match): it signs nothing, so "
        "altinn.signature.signed fails, the record is not counted, and the person has not signed as far as the export shows "
        "(altinn.signees.asked_vs_signed indeterminate). The other two records still cover both elements.",
        e, "fail", fail=["altinn.signature.signed"], indeterminate=["altinn.signees.asked_vs_signed"]))

    e = Export()
    e.omit = {"ola": {e.model_id}}
    out.append(Scenario(
        "record-omits-signed-element",
        "The person-on-behalf-of-organisation's record has no entry for the form, although the form existed when it was signed and "
        "the other records of Task_2 sign its type ('model'): Storage records every element of the task's signed types, so "
        "altinn.data_element.unsigned_or_changed fails on the form, naming the record.",
        e, "fail", fail=["altinn.data_element.unsigned_or_changed"]))

    e = Export()
    upload = guid("user upload")
    upload_bytes = b'{"note": "user upload", "rows": [1, 2, 3],}\n'
    e.elements.append((de_json(upload, "userUpload", "upload.json", "application/json", len(upload_bytes), "2025-03-10T09:20:00.5Z", "1337"), upload_bytes, ".json"))
    out.append(Scenario(
        "unsigned-upload-broken-json",
        "The instance lists an uploaded JSON file of a type no record signs ('userUpload') whose bytes are not well-formed JSON (a "
        "trailing comma): it is content, compared by hash and size, not evidence, so input.json does not fail: pass.",
        e, "pass"))

    e = Export()
    again = Signer("kari-again", "1337", person=KARI, name="Kari Nordmann", signed="2025-03-10T10:00:05.6250698Z")
    e.signers.insert(1, again)
    e.asked = [default_context(s) for s in SIGNERS]
    e.no_event = {"kari-again"}
    out.append(Scenario(
        "two-records-same-signee",
        "The person has two records five seconds apart and events.json has one Signed event for them: a newer signature replaces "
        "the older in Storage, so the export is not one state of it (altinn.signees.asked_vs_signed warns, naming both, and the "
        "second record is not reported as signed without being asked), and the one event corroborates only the first record "
        "(altinn.event.signed fails for the second).",
        e, "fail", fail=["altinn.event.signed"], warn=["altinn.signees.asked_vs_signed"]))

    return out


def main() -> int:
    scen = scenarios()
    names = [f"{GROUP}/{s.name}" for s in scen]
    assert len(set(names)) == len(names)
    for other in ("owned.txt", "owned_pades.txt"):
        p = HERE / other
        if p.exists():
            assert not set(p.read_text().split()) & set(names), f"{other} owns some of these names"
    previous = OWNED_LIST.read_text().split() if OWNED_LIST.exists() else []
    for rel in sorted(set(previous) | set(names)):
        d = SCENARIOS / rel
        assert d.resolve().is_relative_to(SCENARIOS.resolve()) and rel.count("/") == 1 and rel.split("/")[0] == GROUP, rel
        if d.exists():
            shutil.rmtree(d)
    for s in scen:
        s.write()
    OWNED_LIST.write_text("".join(f"{n}\n" for n in sorted(names)))
    print(f"wrote {len(scen)} scenarios under {SCENARIOS.relative_to(HERE.parent.parent)}/{GROUP}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
