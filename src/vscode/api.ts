import type * as vscode from 'vscode';
import type { CheckResult } from '../core/checks';
import type { RdnsResult } from '../core/rdns/types';
import type { ReportDoc } from '../core/report/doc';
import type { SpfPairResult } from '../core/spf/pair';
import type { SendAsResult, SpfResult } from '../core/spf/types';
import type { BounceExplanation, SuggestedCheck } from '../core/bounce/types';
import type { DnsblResult } from '../core/dnsbl/types';
import type { HeloResult } from '../core/helo/types';
import type { MailCheckResult } from '../core/mailcheck/types';
import type { MxResult } from '../core/mx/types';
import type { SmtpProbeResult } from '../core/smtp/types';
import type { BounceArgs, DnsblCheckArgs, HeloCheckArgs, MailServerArgs, MxCheckArgs, SmtpProbeArgs } from './mailCommands';
import type { SendAsArgs, SpfCheckArgs } from './spfCommands';
import type { DkimKeyResult } from '../core/dkim/types';
import type { DkimCheckArgs } from './dkimCommands';
import type { DmarcResult } from '../core/dmarc/types';
import type { DmarcCheckArgs } from './dmarcCommands';
import type { AuditArgs, AuditOutcome, RenderedAudit } from './audit';

/** A tree item as the Results view shows it, as plain data (for tests and screenshots). */
export interface TreeSnapshotNode {
  label: string;
  description?: string;
  tooltip?: string;
  /** Codicon id of the icon (`pass`, `warning`, `error`, `info`, …). */
  icon?: string;
  contextValue?: string;
  children: TreeSnapshotNode[];
}

/** A report the webview has put on screen. */
export interface RenderedReport {
  /** The check's key (the report document's `id`). */
  id: string;
  /** The check kind: `rdns`, … */
  kind: string;
  /** What was checked, e.g. the IP of an rDNS check. */
  subject: string;
  /** The page's visible text. */
  text: string;
}

/** What `activate()` returns: used by the extension-host tests and by other extensions. */
export interface MailDnsApi {
  /** Milliseconds from this bundle starting to load to activate() returning. */
  readonly activationMs: number;
  /** Runs "Check rDNS for IP" for `ip` exactly as the command does (tree, report), without the input box. */
  checkRdns(ip: string): Promise<RdnsResult | undefined>;
  /**
   * Runs "Check SPF" exactly as the command does with `{ ip, domain, helo? }` as its argument (tree,
   * report), without the input boxes. Two addresses (`'192.0.2.1, 2001:db8::1'`) give one
   * `spf-pair` result with both, side by side. Undefined when nothing was checked (bad input, cancel).
   */
  checkSpf(args: SpfCheckArgs): Promise<SpfResult | SpfPairResult | undefined>;
  /** Runs "Can this server send for a domain?" for `{ ip, domain }` as the command does. */
  sendAs(args: SendAsArgs): Promise<SendAsResult | undefined>;
  /** Runs "Check HELO name" for `{ name, ip? }` as the command does (tree, report), without the input boxes. */
  checkHelo(args: HeloCheckArgs): Promise<HeloResult | undefined>;
  /** Runs "Probe SMTP server" for `{ host, port?, ehloName? }` (EHLO name default: `mailDns.smtp.ehloName`). */
  probeSmtp(args: SmtpProbeArgs): Promise<SmtpProbeResult | undefined>;
  /** Runs "Check MX for domain" for `{ domain }`. */
  checkMx(args: MxCheckArgs): Promise<MxResult | undefined>;
  /** Runs "Check blocklists for IP" for `{ ip, zones? }` (zones default: `mailDns.dnsbl.zones`). */
  checkDnsbl(args: DnsblCheckArgs): Promise<DnsblResult | undefined>;
  /** Runs "Check DMARC" for `{ domain }` (a domain, an address or a From header), as the command does. */
  checkDmarc(args: DmarcCheckArgs): Promise<DmarcResult | undefined>;
  /** Runs "Check mail server" for `{ ip, helo, fromDomain, smtp? }`: one report with a row per check. */
  checkMailServer(args: MailServerArgs): Promise<MailCheckResult | undefined>;
  /** Runs "Explain bounce message" on `{ text }`: shows the explanation and offers the matching checks. */
  explainBounce(args: BounceArgs): Promise<BounceExplanation | undefined>;
  /**
   * Runs one of an explanation's `suggestions` as its offer button does: with the values the bounce
   * named, asking in input boxes only for the ones it did not (a HELO check runs without an IP).
   */
  runBounceCheck(suggestion: SuggestedCheck): Promise<CheckResult | undefined>;
  /**
   * Runs "Check DKIM key" for `{ selector?, domain }` as the command does: the key at
   * `<selector>._domainkey.<domain>`, or (no selector) the common selectors tried.
   */
  checkDkim(args: DkimCheckArgs): Promise<DkimKeyResult | undefined>;
  /** The Saved Servers view (`mailDns.servers`) as it is now. */
  savedServersSnapshot(): Promise<TreeSnapshotNode[]>;
  /**
   * Shows a finished check of any kind as its command would: on top of the Results tree and in the
   * report. Resolves with the report document it shows (`id` is the check's key); rejects a
   * result whose `kind` is unknown.
   */
  showResult(result: CheckResult): Promise<ReportDoc>;
  /** The Results tree as it is now, fully expanded. */
  treeSnapshot(): Promise<TreeSnapshotNode[]>;
  /** Fires when the report webview has rendered a check. */
  onDidRenderReport: vscode.Event<RenderedReport>;
  /** Audits a CIDR block (Mail DNS: Audit address range): the rows, once done or cancelled; undefined when nothing ran. */
  auditRange(args: AuditArgs): Promise<AuditOutcome | undefined>;
  /** Fires when the audit table has drawn its rows: how many shown, how many match, its visible text. */
  onDidRenderAudit: vscode.Event<RenderedAudit>;
}
