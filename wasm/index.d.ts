// Types for sigaudit's WebAssembly package. The Report types mirror the JSON
// that `sigaudit verify --format json` prints (src/report/*.rs), member for
// member; tests/node/parity.mjs checks every test-vector report against them.

/** A file: its name (shown in the report) and its bytes. */
export interface NamedBytes {
  name: string;
  bytes: Uint8Array;
}

/** What `init` accepts: nothing (load sigaudit_wasm_bg.wasm next to index.js), a URL or path, a Response, the module's bytes, or a compiled module. */
export type InitInput = string | URL | Request | Response | BufferSource | WebAssembly.Module;

/**
 * Verification options: one member per CLI flag (`--reference-text` is
 * `referenceText`). Checked by the module; an unusable option throws an Error.
 */
export interface VerifyOptions {
  /**
   * Validation time: RFC 3339 (`2024-05-07T13:10:55Z`), `"signing"` (each token's
   * own iat), `"now"`, or a Date. Absent: now (`new Date().toISOString()`).
   */
  at?: string | Date;
  /** Environment profile whose issuer and certificates are pinned. */
  env?: 'pp' | 'prod';
  /** The issuer's key set: JWKS, JWK or certificates (PEM/DER); keys from these files are trusted (`--jwks`). */
  jwks?: NamedBytes[];
  /** Trust anchors: PEM bundles or DER certificates (`--trust`). */
  trust?: NamedBytes[];
  /** Expected issuer (default with `env`: the profile's issuer). */
  issuer?: string;
  /**
   * Expected audience (client id or organisation TIN), or several (`--audience`
   * repeated): a token passes `jwt.aud` when its `aud` holds any of them. An empty
   * string, an empty array or an empty member throws.
   */
  audience?: string | string[];
  /** Expected nonce. */
  nonce?: string;
  /** Expected CIBA reference text (mitid.reference_text). */
  referenceText?: string;
  /** Maximum authentication age at issuance, seconds (iat - auth_time); a non-negative integer. */
  maxAge?: number;
  /** Minimum NSIS level: `low`, `substantial` or `high` (or a URI ending in one of them). */
  minLevel?: string;
  /** Expected identity provider (idp claim), e.g. `mitid`. */
  idp?: string;
  /** Expected identity type. */
  identityType?: 'private' | 'professional' | 'test';
  /** Leeway for time comparisons, seconds (default 60); a non-negative integer. */
  leeway?: number;
  /** How far an OCSP response's thisUpdate may lie after the signing time, seconds (default 300); a non-negative integer. */
  ocspSkew?: number;
}

/** The outcome of a check; verdicts take the worst: fail > indeterminate > warn > pass. */
export type Status = 'pass' | 'warn' | 'indeterminate' | 'fail';

/** What a report node is about. */
export type NodeKind =
  | 'inputs'
  | 'token_response'
  | 'id_token'
  | 'access_token'
  | 'transaction_token'
  | 'workflow_token'
  | 'jwt'
  | 'signing_key'
  | 'ocsp'
  | 'pdf'
  | 'signature'
  | 'doc_timestamp'
  | 'timestamp'
  | 'revocation'
  | 'sign_service_result'
  | 'document'
  | 'workflow_result'
  | 'workflow_status'
  | 'altinn_instance'
  | 'altinn_signature'
  | 'altinn_data_element'
  | 'altinn_signees';

/** A stable dotted check id, e.g. `jws.signature` (`sigaudit checks` lists them all). */
export type CheckId = string;

/** A named piece of evidence; `type` says how to read `value`. Times are RFC 3339 UTC (`2024-05-07T13:10:53Z`). */
export type Fact =
  | { name: string; type: 'text'; value: string }
  | { name: string; type: 'time'; value: string }
  | { name: string; type: 'period'; value: { from: string; to: string } }
  | { name: string; type: 'digest'; value: { alg: string; hex: string } }
  /** A 64-bit integer in Rust: beyond 2^53 JSON.parse rounds it (verifyJson keeps the text exact). */
  | { name: string; type: 'int'; value: number }
  | { name: string; type: 'bool'; value: boolean }
  | { name: string; type: 'list'; value: string[] };

/** One check: what was checked, the outcome, why, and the facts behind it. */
export interface Check {
  id: CheckId;
  status: Status;
  message: string;
  evidence: Fact[];
}

/** A subject (a token, a key, a document, a file) and the checks made on it. */
export interface ReportNode {
  subject: string;
  kind: NodeKind;
  /** The worst status among the node's checks and its descendants'; null when nothing below was checked. */
  verdict: Status | null;
  /** Descriptive facts (claims, sizes, hashes), not judgements. */
  facts: Fact[];
  checks: Check[];
  children: ReportNode[];
}

/** How many checks ended in each status. */
export interface Counts {
  pass: number;
  warn: number;
  indeterminate: number;
  fail: number;
}

/** The validation context, echoed so a report stands on its own. Optional members are absent when not set. */
export interface PolicySummary {
  /** `"signing"` or an RFC 3339 time (whole seconds, UTC). */
  validation_time: string;
  leeway_seconds: number;
  env?: 'pp' | 'prod';
  issuer?: string;
  /** Expected audiences, any of which passes (one or more; absent when none was given). */
  audience?: string[];
  nonce?: string;
  reference_text?: string;
  max_auth_age_seconds?: number;
  /** The level's name: `Low`, `Substantial` or `High`. */
  min_level?: 'Low' | 'Substantial' | 'High';
  idp?: string;
  identity_type?: 'private' | 'professional' | 'test';
  /** How far an OCSP thisUpdate may lie after the signing time, seconds. */
  ocsp_skew_seconds: number;
  /** Names of the files whose keys were trusted (`jwks`). */
  trusted_key_files: string[];
  /** Names of the trust-anchor files (`trust`). */
  trust_anchor_files: string[];
}

/** One supplied file as sigaudit saw it. */
export interface InputSummary {
  name: string;
  size: number;
  /** Lowercase hex. */
  sha256: string;
  /** What detection recognised it as, in words. */
  kind: string;
}

/** The whole result: JSON.parse of `sigaudit verify --format json`. */
export interface Report {
  /** The sigaudit version that made the report. */
  sigaudit: string;
  /** The bottom line: the worst status of any check; indeterminate when nothing was checked. */
  verdict: Status;
  counts: Counts;
  policy: PolicySummary;
  inputs: InputSummary[];
  nodes: ReportNode[];
}

/**
 * Loads the WebAssembly module; call (and await) once before `verify`.
 * Idempotent: later calls return at once / share the pending load.
 */
export function init(input?: InitInput): Promise<void>;

/** Synchronous init from the module's bytes or a compiled WebAssembly.Module (e.g. in a worker). */
export function initSync(module: BufferSource | WebAssembly.Module): void;

/**
 * Verifies one bundle of evidence. `files` are verified together (links are
 * found between them), listed in the report in the order given.
 * @returns the report, equal to JSON.parse of the CLI's `--format json` output.
 * @throws Error when the options cannot be used (message as the CLI prints it), or before `init`.
 */
export function verify(files: NamedBytes[], options?: VerifyOptions): Report;

/**
 * As `verify`, but the report as JSON text: exactly the bytes `sigaudit verify
 * --format json` prints, without its final newline.
 */
export function verifyJson(files: NamedBytes[], options?: VerifyOptions): string;

/** A file embedded in a PDF. */
export interface EmbeddedFile {
  /** `/UF`, else `/F`, else the name-tree key. */
  name: string;
  bytes: Uint8Array;
  /** The declared `/Subtype`, when there is one. */
  mediaType?: string;
}

/**
 * The files embedded in a PDF (the same files `sigaudit verify --extract`
 * writes). Not a readable PDF: an empty array.
 */
export function embeddedFiles(pdf: Uint8Array | ArrayBuffer | ArrayBufferView): EmbeddedFile[];

/** The sigaudit version (the `sigaudit` member of every report). */
export function version(): string;
