// How the big mailbox providers word their rejections, from their own public documentation (the
// source of each row is the comment above it), read by the bounce explainer: as the bare reply text
// (explainBounceText) and as the Diagnostic-Code of a minimal RFC 3464 delivery report
// (explainBounce). Each row pins the cause, whose side must act, the checks suggested with the values
// the text names, and, for recipient and content causes, that none of the sender's DNS checks is.
//
// The texts use documentation addresses (RFC 5737: 203.0.113.0/24, 198.51.100.0/24) and example
// domains (RFC 2606) in place of real ones; the providers' own host names stay where they are part
// of the wording. MTA software defaults and filtering appliances are in bounce-wordings-software.test.ts.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { explainBounce, explainBounceText } from '../../src/core/bounce/explain';
import type { BounceCategory } from '../../src/core/bounce/types';
import { judgeWording, type WordingRow, wordingDsn } from './bounceWordings';

interface Row {
  provider: string;
  text: string;
  category: BounceCategory;
  values?: { ip?: string; domain?: string; helo?: string; zone?: string };
}

const IP = '203.0.113.5';
const ZEN = 'zen.spamhaus.org';

const ROWS: Row[] = [
  // --- Gmail / Google Workspace ------------------------------------------------------------------------------------
  // https://support.google.com/a/answer/3726730 (Gmail SMTP errors and codes)
  {
    provider: 'Gmail',
    text: `550-5.7.25 [${IP}] The IP address sending this message does not have a PTR record setup, or the corresponding forward DNS entry does not point to the sending IP. As a policy, Gmail does not accept messages from IPs with missing PTR records. - gsmtp`,
    category: 'rdns',
    values: { ip: IP },
  },
  // https://support.google.com/a/answer/3726730 (4.7.23, the bulk-sender requirements' temporary form)
  {
    provider: 'Gmail',
    text: `421-4.7.23 [${IP}] The sending IP address for this message doesn't have a PTR record, or the PTR record's forward DNS entry doesn't match the sending IP address. To protect users from spam, your email has been temporarily rate limited. - gsmtp`,
    category: 'rdns',
    values: { ip: IP },
  },
  // https://support.google.com/a/answer/3726730
  {
    provider: 'Gmail',
    text: `550-5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM. Authentication results: DKIM = did not pass SPF [example.net] with ip: [${IP}] = did not pass - gsmtp`,
    category: 'auth',
    values: { ip: IP, domain: 'example.net' },
  },
  // https://support.google.com/a/answer/3726730
  {
    provider: 'Gmail',
    text: "550-5.7.26 Unauthenticated email from example.net is not accepted due to domain's DMARC policy. Please contact the administrator of example.net domain if this was a legitimate mail. - gsmtp",
    category: 'dmarc',
    values: { domain: 'example.net' },
  },
  // https://support.google.com/a/answer/3726730 (4.7.27 / 5.7.27: SPF did not pass; RFC 7505 gives X.7.27 another meaning, the words decide)
  {
    provider: 'Gmail',
    text: `421-4.7.27 Your email has been rate limited because SPF authentication didn't pass for this message. Gmail requires all bulk email senders to authenticate with SPF. Authentication results: SPF [example.net] with ip: [${IP}] = did not pass - gsmtp`,
    category: 'spf',
    values: { ip: IP, domain: 'example.net' },
  },
  {
    provider: 'Gmail',
    text: "550-5.7.27 Your email has been blocked because SPF authentication didn't pass for this message. - gsmtp",
    category: 'spf',
  },
  // https://support.google.com/a/answer/3726730 (4.7.30 / 5.7.30: DKIM did not pass)
  {
    provider: 'Gmail',
    text: "421-4.7.30 Your email has been rate limited because DKIM authentication didn't pass for this message. Gmail requires all email bulk senders to authenticate with DKIM. - gsmtp",
    category: 'dkim',
  },
  {
    provider: 'Gmail',
    text: "550-5.7.30 Your email has been blocked because DKIM authentication didn't pass for this message. - gsmtp",
    category: 'dkim',
  },
  // https://support.google.com/a/answer/3726730 (4.7.32 / 5.7.32: the From domain is not aligned: a DMARC matter)
  {
    provider: 'Gmail',
    text: "421-4.7.32 Your email has been rate limited because the From: header (RFC5322) in this message isn't aligned with either the authenticated SPF or DKIM organizational domain. - gsmtp",
    category: 'dmarc',
  },
  {
    provider: 'Gmail',
    text: "550-5.7.32 Your email has been blocked because the From: header (RFC5322) in this message isn't aligned with either the authenticated SPF or DKIM organizational domain. - gsmtp",
    category: 'dmarc',
  },
  // https://support.google.com/a/answer/3726730 (4.7.29: no TLS)
  {
    provider: 'Gmail',
    text: "421-4.7.29 Your email has been rate limited because this message wasn't sent over a TLS connection. Gmail requires all bulk email senders to use TLS/SSL for SMTP connections. - gsmtp",
    category: 'tls',
  },
  // https://support.google.com/a/answer/3726730
  {
    provider: 'Gmail',
    text: `421-4.7.28 [${IP} 15] Our system has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited. - gsmtp`,
    category: 'reputation',
    values: { ip: IP },
  },
  // https://support.google.com/a/answer/3726730 (4.7.28 also names the authenticated domain it rate-limits)
  {
    provider: 'Gmail',
    text: '421-4.7.28 Gmail has detected an unusual rate of unsolicited mail originating from your DKIM domain [example.net 15]. To protect our users from spam, mail sent from your domain has been temporarily rate limited. - gsmtp',
    category: 'reputation',
    values: { domain: 'example.net' },
  },
  // https://support.google.com/a/answer/3726730
  {
    provider: 'Gmail',
    text: `550-5.7.1 [${IP}] Gmail has detected that this message is likely suspicious due to the very low reputation of the sending domain. To best protect our users from spam, the message has been blocked. - gsmtp`,
    category: 'reputation',
    values: { ip: IP },
  },
  // https://support.google.com/a/answer/3726730
  {
    provider: 'Gmail',
    text: `550-5.7.1 [${IP}] The IP you're using to send mail is not authorized to send email directly to our servers. Please use the SMTP relay at your service provider instead. - gsmtp`,
    category: 'blocked',
    values: { ip: IP },
  },
  // https://support.google.com/a/answer/3726730
  {
    provider: 'Gmail',
    text: `550-5.7.26 This mail is unauthenticated, which poses a security risk to the sender and Gmail users, and has been blocked. The sender must authenticate with at least one of SPF or DKIM. - gsmtp`,
    category: 'auth',
  },
  // https://support.google.com/mail/answer/81126 (the older authentication wording)
  {
    provider: 'Gmail',
    text: '421-4.7.0 This message does not have authentication information or fails to pass authentication checks. To best protect our users from spam, the message has been blocked. - gsmtp',
    category: 'auth',
  },
  // https://support.google.com/a/answer/3726730 (a Workspace user's own daily limit: a rate, not DNS)
  { provider: 'Gmail', text: '550-5.4.5 Daily user sending limit exceeded. - gsmtp', category: 'rate' },
  // https://support.google.com/a/answer/3726730 (content, not the sender's server)
  {
    provider: 'Gmail',
    text: `550-5.7.1 [${IP} 12] Our system has detected that this message is likely unsolicited mail. To reduce the amount of spam sent to Gmail, this message has been blocked. - gsmtp`,
    category: 'spam',
  },
  {
    provider: 'Gmail',
    text: '552-5.7.0 This message was blocked because its content presents a potential security issue. Please visit https://support.google.com/mail/?p=BlockedMessage to review our message content and attachment content guidelines. - gsmtp',
    category: 'virus',
  },
  // A Workspace administrator's own rule ("gcdp"): about the message as the recipient's domain judges it.
  { provider: 'Gmail', text: '550-5.7.1 This message violates example.org email policy. - gcdp <sessionid> - gsmtp', category: 'policy' },
  { provider: 'Gmail', text: `550-5.7.1 [${IP}] Messages missing a valid address in the From: header, or having no From: header, are not accepted. - gsmtp`, category: 'policy' },
  { provider: 'Gmail', text: `550-5.7.1 [${IP}] Messages missing a valid messageId header are not accepted. - gsmtp`, category: 'policy' },
  { provider: 'Gmail', text: `550-5.7.1 [${IP}] Our system has detected that this message is not RFC 5322 compliant: Multiple 'From' headers found. - gsmtp`, category: 'policy' },
  { provider: 'Gmail', text: "552-5.2.3 Your message exceeded Google's message size limits. - gsmtp", category: 'size' },
  { provider: 'Gmail', text: '421-4.7.0 TLS required for RCPT domain, closing connection. - gsmtp', category: 'tls' },
  // A Workspace domain that takes mail only from its own gateways: its policy on this sender, not the IP's reputation.
  { provider: 'Gmail', text: '421-4.7.0 IP not in whitelist for RCPT domain, closing connection. - gsmtp', category: 'not-permitted' },
  // The recipient's side.
  { provider: 'Gmail', text: "550-5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. - gsmtp", category: 'recipient' },
  { provider: 'Gmail', text: '452-4.2.2 The email account that you tried to reach is over quota. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaTemp - gsmtp', category: 'mailbox-full' },
  { provider: 'Gmail', text: '550-5.2.1 The email account that you tried to reach is disabled. - gsmtp', category: 'mailbox-disabled' },
  { provider: 'Gmail', text: '450-4.2.1 The user you are trying to contact is receiving mail too quickly. Please resend your message at a later time. - gsmtp', category: 'recipient-rate' },
  // More of https://support.google.com/a/answer/3726730 and https://support.google.com/mail/answer/81126, as Gmail words them.
  { provider: 'Gmail', text: '451-4.7.24 The SPF record of the sending domain has one or more suspicious entries. To protect our users from spam, mail sent from your IP address has been temporarily rate limited. - gsmtp', category: 'spf' },
  { provider: 'Gmail', text: '550-5.7.24 The SPF record of the sending domain has one or more suspicious entries. For more information, go to Email sender guidelines. - gsmtp', category: 'spf' },
  {
    provider: 'Gmail',
    text: `421-4.7.26 This mail has been rate limited because it is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM. Authentication results: DKIM = did not pass SPF example.net with ip: ${IP} = did not pass. - gsmtp`,
    category: 'auth',
    values: { ip: IP, domain: 'example.net' },
  },
  { provider: 'Gmail', text: '550-5.7.26 This message fails to pass SPF checks for an SPF record with a hard fail policy (-all). To best protect our users from spam and phishing, the message has been blocked. - gsmtp', category: 'spf' },
  {
    provider: 'Gmail',
    text: "451-4.7.26 Unauthenticated email from example.net is not accepted due to domain's DMARC policy, but temporary DNS failures prevent authentication. Please contact the administrator of example.net domain if this was a legitimate mail. - gsmtp",
    category: 'dmarc',
    values: { domain: 'example.net' },
  },
  {
    provider: 'Gmail',
    text: `421-4.7.27 Your email has been rate limited because SPF authentication didn't pass for this message. Gmail requires all bulk email senders to authenticate their email with SPF. Authentication results: SPF example.net with IP address: ${IP} = Did not pass. - gsmtp`,
    category: 'spf',
    values: { ip: IP, domain: 'example.net' },
  },
  { provider: 'Gmail', text: '550-5.7.30 This mail has been blocked because DKIM does not pass. Gmail requires all large senders to authenticate with DKIM. Authentication results: DKIM = did not pass. - gsmtp', category: 'dkim' },
  {
    provider: 'Gmail',
    text: '421-4.7.0 This message is suspicious due to the very low reputation of the sending IP address/domain. To protect our users from spam, mail sent from your IP address has been temporarily rate limited. - gsmtp',
    category: 'reputation',
  },
  { provider: 'Gmail', text: '550-5.7.28 There is an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been blocked. - gsmtp', category: 'reputation' },
  {
    provider: 'Gmail',
    text: '421-4.7.0 The IP address sending this message does not have a PTR record, or the corresponding forward DNS entry does not point to the sending IP. To protect our users from spam, mail sent from your IP address has been temporarily rate limited. - gsmtp',
    category: 'rdns',
  },
  { provider: 'Gmail', text: '550-5.7.25 The sending IP does not match the IP address of the hostname specified in the pointer (PTR) record. - gsmtp', category: 'rdns' },
  // Both PTR records and authentication are named: read as the PTR (the first thing Gmail's IPv6 guidelines require).
  { provider: 'Gmail', text: '550-5.7.1 This message does not meet IPv6 sending guidelines regarding PTR records and authentication. - gsmtp', category: 'rdns' },
  { provider: 'Gmail', text: '501-5.5.4 HELO/EHLO argument is invalid. https://support.google.com/mail/?p=helo - gsmtp', category: 'helo' },
  { provider: 'Gmail', text: '501-5.5.4 Empty HELO/EHLO argument not allowed, closing connection. - gsmtp', category: 'helo' },
  { provider: 'Gmail', text: '530-5.7.0 Must issue a STARTTLS command first. - gsmtp', category: 'tls' },
  { provider: 'Gmail', text: `550-5.7.0 Mail relay denied [${IP}]. Invalid credentials for relay for one of the domains in: example.net (as obtained from HELO and MAIL FROM). - gsmtp`, category: 'relay' },
  {
    provider: 'Gmail',
    text: `550-5.7.1 Invalid credentials for relay [${IP}]. The IP address you've registered in your Workspace SMTP Relay service doesn't match the domain of the account this email is being sent from. - gsmtp`,
    category: 'relay',
  },
  { provider: 'Gmail', text: '450-4.2.1 Peak SMTP relay limit exceeded for customer. This is a temporary error. - gsmtp', category: 'rate' },
  { provider: 'Gmail', text: '550-5.4.5 Daily SMTP relay limit exceeded for user. - gsmtp', category: 'rate' },
  { provider: 'Gmail', text: '523-5.7.10 SMTP protocol violation, no commands allowed to pipeline after STARTTLS. - gsmtp', category: 'syntax' },
  { provider: 'Gmail', text: '503-5.5.1 Bad sequence of commands. - gsmtp', category: 'syntax' },
  { provider: 'Gmail', text: '421-4.7.0 This message is suspicious due to the nature of the content or the links within. To best protect our users from spam, the message has been blocked. - gsmtp', category: 'spam' },
  { provider: 'Gmail', text: '550-5.7.1 This message is not RFC 5322 compliant because it has duplicate headers. - gsmtp', category: 'policy' },
  { provider: 'Gmail', text: '550-5.7.1 Messages missing a valid Message-ID: header are not accepted. - gsmtp', category: 'policy' },
  { provider: 'Gmail', text: '550-5.7.1 The message contains a unicode character in a disallowed header. - gsmtp', category: 'policy' },
  { provider: 'Gmail', text: '550-5.7.1 Encoded-word syntax is not permitted in message header Subject. - gsmtp', category: 'policy' },
  { provider: 'Gmail', text: '554-5.6.0 Mail message is malformed. Not accepted. - gsmtp', category: 'policy' },
  { provider: 'Gmail', text: '552-5.7.0 Our system detected an illegal attachment on your message. - gsmtp', category: 'policy' },
  { provider: 'Gmail', text: '421-4.7.28 Gmail has detected this message exceeded its quota for sending messages with the same Message-ID:. - gsmtp', category: 'policy' },
  { provider: 'Gmail', text: "552-5.3.4 The number of attachments (24) exceeds Google's limit of 20 attachments. - gsmtp", category: 'size' },
  { provider: 'Gmail', text: "452-4.2.2 The recipient's inbox is out of storage space. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaTemp - gsmtp", category: 'mailbox-full' },
  { provider: 'Gmail', text: '550-5.2.1 The email account that you tried to reach is inactive. - gsmtp', category: 'mailbox-disabled' },
  { provider: 'Gmail', text: '450-4.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional messages from being delivered. - gsmtp', category: 'recipient-rate' },
  { provider: 'Gmail', text: '554-5.4.6 Message exceeded 50 hops, this may indicate a mail loop. - gsmtp', category: 'network' },

  // --- Microsoft: Exchange Online (EOP) and Outlook.com ----------------------------------------------------------------
  // https://learn.microsoft.com/en-us/exchange/troubleshoot/email-delivery/ndr/non-delivery-reports-in-exchange-online (5.7.606-649)
  {
    provider: 'Microsoft',
    text: `550 5.7.606 Access denied, banned sending IP [${IP}]. To request removal from this list please visit https://sender.office.com/ and follow the directions. For more information please go to http://go.microsoft.com/fwlink/?LinkID=526655 AS(1430)`,
    category: 'dnsbl',
    values: { ip: IP },
  },
  // https://sendersupport.olc.protection.outlook.com/pm/troubleshooting.aspx (S3150: part of the network on Outlook.com's block list)
  {
    provider: 'Microsoft',
    text: `550 5.7.1 Unfortunately, messages from [${IP}] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150). You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors.`,
    category: 'dnsbl',
    values: { ip: IP },
  },
  {
    provider: 'Microsoft',
    text: `550 SC-001 (BAY004-MC1F23) Unfortunately, messages from ${IP} weren't sent. Please contact your Internet service provider since part of their network is on our block list. You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors.`,
    category: 'dnsbl',
    values: { ip: IP },
  },
  // https://learn.microsoft.com/en-us/exchange/troubleshoot/email-delivery/ndr/non-delivery-reports-in-exchange-online (5.7.1 blocked using)
  {
    provider: 'Microsoft',
    text: `550 5.7.1 Service unavailable, Client host [${IP}] blocked using Spamhaus. To request removal from this list see https://www.spamhaus.org/query/ip/${IP} AS(1450)`,
    category: 'dnsbl',
    values: { ip: IP, zone: ZEN },
  },
  {
    provider: 'Microsoft',
    text: `550 5.7.1 Service unavailable; Client host [${IP}] blocked using Blocklist 1; To request removal from this list please forward this message to delist@messaging.microsoft.com`,
    category: 'dnsbl',
    values: { ip: IP },
  },
  // https://learn.microsoft.com/en-us/exchange/troubleshoot/email-delivery/ndr/fix-error-code-451-4-7-500-699-asxxx-in-exchange-online
  { provider: 'Microsoft', text: `451 4.7.500 Server busy. Please try again later from [${IP}]. (S77719) [BN8NAM11FT005.eop-nam11.prod.protection.outlook.com]`, category: 'rate', values: { ip: IP } },
  // https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/what-to-do-with-4-7-650 (new IPs, IPv6: the IP's reputation)
  {
    provider: 'Microsoft',
    text: `451 4.7.650 The mail server [${IP}] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://postmaster.live.com (S775) [Name=Protocol Filter Agent]`,
    category: 'reputation',
    values: { ip: IP },
  },
  // https://learn.microsoft.com/en-us/exchange/troubleshoot/email-delivery/ndr/fix-error-code-5-7-700-through-5-7-750 (5.7.708: traffic from the IP refused)
  { provider: 'Microsoft', text: '550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP. For more information please go to http://go.microsoft.com/fwlink/?LinkId=526653 AS(7230)', category: 'blocked' },
  // https://learn.microsoft.com/en-us/exchange/troubleshoot/email-delivery/ndr/non-delivery-reports-in-exchange-online (5.7.509)
  { provider: 'Microsoft', text: '550 5.7.509 Access denied, sending domain example.net does not pass DMARC verification and has a DMARC policy of reject.', category: 'dmarc', values: { domain: 'example.net' } },
  // https://learn.microsoft.com/en-us/exchange/troubleshoot/email-delivery/ndr/non-delivery-reports-in-exchange-online (5.7.23)
  { provider: 'Microsoft', text: '550 5.7.23 The message was rejected because of Sender Policy Framework violation', category: 'spf' },
  // https://techcommunity.microsoft.com/blog/microsoftdefenderforoffice365blog/strengthening-email-ecosystem-outlook%E2%80%99s-new-requirements-for-high%E2%80%90volume-senders/4399730 (5.7.515)
  { provider: 'Microsoft', text: '550 5.7.515 Access denied, sending domain example.net does not meet the required authentication level.', category: 'auth', values: { domain: 'example.net' } },
  // https://sendersupport.olc.protection.outlook.com/pm/troubleshooting.aspx (RP-001: Outlook.com's hourly and daily limits)
  {
    provider: 'Microsoft',
    text: `421 RP-001 (BAY004-MC1F45) Unfortunately, some messages from ${IP} weren't sent. Please try again. We have limits for how many messages can be sent per hour and per day. You can also refer to http://mail.live.com/mail/troubleshooting.aspx#errors.`,
    category: 'rate',
    values: { ip: IP },
  },
  // https://sendersupport.olc.protection.outlook.com/pm/troubleshooting.aspx (OU-001 / DY-001: dynamic address ranges)
  {
    provider: 'Microsoft',
    text: `550 OU-001 (SNT004-MC1F33) Unfortunately, messages from ${IP} weren't sent. Please contact your Internet service provider. You can tell them that Hotmail does not relay dynamically-assigned IP ranges. You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors.`,
    category: 'blocked',
    values: { ip: IP },
  },
  {
    provider: 'Microsoft',
    text: "550 DY-001 (SNT004-MC1F19) Mail rejected by Windows Live Hotmail for policy reasons. We generally do not accept email from dynamic IP's as they are not typically used to deliver unauthenticated SMTP e-mail to an Internet mail server.",
    category: 'blocked',
  },
  // https://sendersupport.olc.protection.outlook.com/pm/troubleshooting.aspx (SC-004: complaints about mail from the IP)
  {
    provider: 'Microsoft',
    text: '550 SC-004 (COL004-MC2F7) Mail rejected by Outlook.com for policy reasons. A block has been placed against your IP address because we have received complaints concerning mail coming from that IP address.',
    category: 'reputation',
  },
  // https://sendersupport.olc.protection.outlook.com/pm/troubleshooting.aspx (OU-002). Ambiguous: Microsoft says "may be related to
  // content ... or IP/domain reputation". Read as content (it is named first and no DNS record is named): no DNS check is suggested.
  {
    provider: 'Microsoft',
    text: '550 OU-002 (COL004-MC1F28) Mail rejected by Windows Live Hotmail for policy reasons. Reasons for rejection may be related to content with spam-like characteristics or IP/domain reputation problems.',
    category: 'spam',
  },
  // https://learn.microsoft.com/en-us/exchange/troubleshoot/email-delivery/ndr/non-delivery-reports-in-exchange-online
  { provider: 'Microsoft', text: '421 4.3.2 The maximum number of concurrent server connections has exceeded a limit, closing transmission channel', category: 'rate' },
  { provider: 'Microsoft', text: '530 5.7.57 Client not authenticated to send mail. Error: 535 5.7.139 Authentication unsuccessful', category: 'smtp-auth' },
  { provider: 'Microsoft', text: '550 5.7.64 TenantAttribution; Relay Access Denied', category: 'relay' },
  { provider: 'Microsoft', text: '550 5.7.1 TRANSPORT.RULES.RejectMessage; the message was rejected by organization policy', category: 'policy' },
  { provider: 'Microsoft', text: '550 5.7.350 Remote server returned message detected as spam', category: 'spam' },
  { provider: 'Microsoft', text: '550 5.7.1 Message rejected as spam by Content Filtering.', category: 'spam' },
  { provider: 'Microsoft', text: '550 5.7.512 Access denied, message must be RFC 5322 section 3.6.2 compliant and include a valid From address', category: 'policy' },
  // Delivery restrictions of a group or mailbox: the recipient's setting, not the sender's authentication (Exchange's RESOLVER.RST).
  { provider: 'Microsoft', text: '550 5.7.1 RESOLVER.RST.AuthRequired; authentication required', category: 'recipient-filter' },
  { provider: 'Microsoft', text: '550 5.7.1 RESOLVER.RST.NotAuthorized; not authorized', category: 'recipient-filter' },
  {
    provider: 'Microsoft',
    text: '550 5.7.133 RESOLVER.RST.SenderNotAuthenticatedForGroup; authentication required; Delivery restriction check failed because the sender was not authenticated when sending to this group',
    category: 'recipient-filter',
  },
  // The recipient's side.
  { provider: 'Microsoft', text: '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient bob@example.org not found by SMTP address lookup', category: 'recipient' },
  { provider: 'Microsoft', text: '550 5.1.1 RESOLVER.ADR.ExRecipNotFound; not found', category: 'recipient' },
  // Directory-based edge blocking: the recipient is not in the domain's directory.
  { provider: 'Microsoft', text: '550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [DM6NAM12FT027.eop-nam12.prod.protection.outlook.com]', category: 'recipient' },
  { provider: 'Microsoft', text: '554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded', category: 'mailbox-full' },
  // More of https://learn.microsoft.com/en-us/exchange/troubleshoot/email-delivery/ndr/non-delivery-reports-in-exchange-online
  { provider: 'Microsoft', text: '451 4.7.26 Access denied, a message sent over IPv6 [2001:db8::5] must pass either SPF or DKIM validation, this message is not signed', category: 'auth' },
  { provider: 'Microsoft', text: '550 5.7.25 Access denied, the sending IPv6 address [2001:db8::5] must have a reverse DNS record', category: 'rdns', values: { ip: '2001:db8::5' } },
  { provider: 'Microsoft', text: '550 5.7.506 Access denied, Bad HELO', category: 'helo' },
  { provider: 'Microsoft', text: `550 5.7.511 Access denied, banned sender[${IP}]. To request removal from this list please forward this message to delist@microsoft.com`, category: 'dnsbl', values: { ip: IP } },
  { provider: 'Microsoft', text: '451 4.7.550 Access denied, please try again later. For more information please go to https://go.microsoft.com/fwlink/?LinkId=526653', category: 'blocked' },
  // Sending from domains the Microsoft 365 tenant has not verified: Microsoft's policy on this sender.
  { provider: 'Microsoft', text: '550 5.7.750 Service unavailable. Client blocked from sending from unregistered domains.', category: 'not-permitted' },
  { provider: 'Microsoft', text: '554 5.6.11 SMTPSEND.BareLinefeedsAreIllegal; message contains bare linefeeds, which cannot be sent via DATA and receiving system does not support BDAT', category: 'policy' },
  { provider: 'Microsoft', text: '554 5.4.14 Hop count exceeded - possible mail loop ATTR34', category: 'network' },
  { provider: 'Microsoft', text: '550 5.7.1 Unable to relay', category: 'relay' },
  { provider: 'Microsoft', text: '550 5.4.310 The mail could not be delivered to the recipient because the domain is not reachable', category: 'recipient-domain' },
  { provider: 'Microsoft', text: '552 5.3.4 Message size exceeds fixed maximum message size', category: 'size' },
  { provider: 'Microsoft', text: '550 5.2.3 RESOLVER.RST.RecipSizeLimit; message too large for this recipient', category: 'size' },
  // RFC 3463 X.3.2: the destination system takes no mail (the explainer reads it as the recipient's domain).
  { provider: 'Microsoft', text: '432 4.3.2 System not accepting network messages', category: 'recipient-domain' },
  // The recipient's restrictions and block list: the recipient's side, whatever the sender's DNS says.
  { provider: 'Microsoft', text: `550 5.7.513 Service unavailable, Client host [${IP}] blocked by example.org using Customer Block list (AS16012607)`, category: 'recipient-filter' },
  { provider: 'Microsoft', text: '550 5.7.507 Access denied, rejected by recipient', category: 'recipient-filter' },
  { provider: 'Microsoft', text: '550 5.7.12 Sender was not authenticated by organization', category: 'recipient-filter' },
  { provider: 'Microsoft', text: '550 5.7.124 Sender not in allowed-senders list', category: 'recipient-filter' },
  { provider: 'Microsoft', text: '550 5.7.134 Sender was not authenticated for mailbox', category: 'recipient-filter' },
  { provider: 'Microsoft', text: '550 5.7.1 Delivery not authorized, message refused', category: 'recipient-filter' },

  // --- Yahoo and AOL ---------------------------------------------------------------------------------------------
  // https://senders.yahooinc.com/smtp-error-codes/
  {
    provider: 'Yahoo',
    text: `421 4.7.0 [TSS04] Messages from ${IP} temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes`,
    category: 'reputation',
    values: { ip: IP },
  },
  { provider: 'Yahoo', text: `421 4.7.0 [TSS09] All messages from ${IP} will be permanently deferred; Retrying will NOT succeed. See https://postmaster.yahooinc.com/error-codes`, category: 'blocked', values: { ip: IP } },
  { provider: 'Yahoo', text: `421 4.7.0 [TS03] All messages from ${IP} will be permanently deferred; Retrying will NOT succeed. See https://postmaster.yahooinc.com/error-codes`, category: 'blocked', values: { ip: IP } },
  {
    provider: 'Yahoo',
    text: `553 5.7.1 [BL21] Connections will not be accepted from ${IP}, because the ip is in Spamhaus's list; see https://postmaster.yahooinc.com/error-codes`,
    category: 'dnsbl',
    values: { ip: IP, zone: ZEN },
  },
  { provider: 'Yahoo', text: '553 5.7.1 [BL23] Connections not accepted from IP addresses on Spamhaus XBL; see https://postmaster.yahooinc.com/error-codes', category: 'dnsbl', values: { zone: ZEN } },
  { provider: 'Yahoo', text: '550 5.7.9 This mail has been blocked because the sender is unauthenticated. Yahoo requires all senders to authenticate with either SPF or DKIM.', category: 'auth' },
  { provider: 'Yahoo', text: '451 Message temporarily deferred due to unresolvable RFC.5321 from domain; see https://postmaster.yahooinc.com/error-codes', category: 'sender-domain' },
  { provider: 'Yahoo', text: '554 5.7.9 Message not accepted for policy reasons. See https://postmaster.yahooinc.com/error-codes', category: 'policy' },
  // [PH01]: Yahoo's phishing-content refusal.
  { provider: 'Yahoo', text: '554 Message not allowed - [PH01] Email not accepted for policy reasons. Please visit https://postmaster.yahooinc.com/error-codes', category: 'policy' },
  { provider: 'Yahoo', text: "554 delivery error: dd This user doesn't have a yahoo.com account (bob@yahoo.com) [0] - mta1234.mail.gq1.yahoo.com", category: 'recipient' },
  { provider: 'Yahoo', text: '554 delivery error: dd Sorry your message to bob@yahoo.com cannot be delivered. This mailbox is disabled (554.30). - mta1234.mail.bf1.yahoo.com', category: 'mailbox-disabled' },
  { provider: 'Yahoo', text: '552 1 Requested mail action aborted, mailbox not found', category: 'recipient' },
  { provider: 'Yahoo', text: '554 Message not allowed - Headers are not RFC compliant[291]', category: 'policy' },
  { provider: 'Yahoo', text: '554 delivery error: dd bob@yahoo.com is no longer valid. [-20] - mta1234.mail.ne1.yahoo.com', category: 'mailbox-disabled' },
  { provider: 'Yahoo', text: '421 Max message per connection reached, closing transmission channel', category: 'rate' },
  { provider: 'Yahoo', text: '450 User is receiving mail too quickly', category: 'recipient-rate' },
  { provider: 'Yahoo', text: '550 relaying denied for <bob@yahoo.com>', category: 'relay' },
  // http://postmaster.info.aol.com/errors/ (RTR:BB and RTR:DU: a dynamic or residential range; RTR:RD: a dynamic-looking PTR name)
  // and https://kb.odin.com/en/121291 (DNS:NR: AOL's banner says it refuses IPs without reverse DNS)
  { provider: 'AOL', text: '554 5.7.1 : (RTR:BB) http://postmaster.info.aol.com/errors/554rtrbb.html', category: 'blocked' },
  { provider: 'AOL', text: '421 4.7.1 : (DNS:NR) http://postmaster.info.aol.com/errors/421dnsnr.html', category: 'rdns' },
  { provider: 'AOL', text: '554 RTR:DU http://postmaster.info.aol.com/errors/554rtrdu.html', category: 'blocked' },
  { provider: 'AOL', text: '554 RTR:RD http://postmaster.info.aol.com/errors/554rtrrd.html', category: 'rdns' },

  // --- Apple iCloud -----------------------------------------------------------------------------------------------------
  // https://support.apple.com/en-us/102322 (HT204137: iCloud Mail's postmaster information)
  // [CS01] names no cause beyond the local policy; read as the receiver's content policy, with no DNS check.
  { provider: 'iCloud', text: '550 5.7.1 [CS01] Message rejected due to local policy. Please visit https://support.apple.com/en-us/HT204137', category: 'policy' },
  { provider: 'iCloud', text: '550 5.7.1 Your message was rejected due to example.net DMARC policy. Please visit https://support.apple.com/en-us/HT204137', category: 'dmarc', values: { domain: 'example.net' } },
  {
    provider: 'iCloud',
    text: `550 5.7.1 Mail from IP ${IP} was rejected due to listing in Spamhaus SBL. For details please see http://www.spamhaus.org/query/bl?ip=${IP}`,
    category: 'dnsbl',
    values: { ip: IP, zone: ZEN },
  },
  // A domain named in the message (its links) on Spamhaus's domain list: the content, not the sending IP.
  { provider: 'iCloud', text: '550 5.7.1 Your email was rejected due to having a domain present in the Spamhaus DBL -- see https://www.spamhaus.org/dbl/', category: 'spam' },
  { provider: 'iCloud', text: '421 4.7.1 Messages to bob@icloud.com deferred due to excessive volume. Try again later - https://support.apple.com/en-us/HT204137', category: 'recipient-rate' },
  { provider: 'iCloud', text: '550 5.1.1 <bob@icloud.com>: user does not exist', category: 'recipient' },
  { provider: 'iCloud', text: '550 5.1.1 unknown or illegal alias: bob@icloud.com', category: 'recipient' },
  { provider: 'iCloud', text: '552 5.2.2 <bob@icloud.com>: user is over quota', category: 'mailbox-full' },
  { provider: 'iCloud', text: '554 5.7.1 [HME1] This message was blocked for failing both SPF and DKIM authentication checks. See https://support.apple.com/en-us/HT204137 for mailing best practices', category: 'auth' },
  { provider: 'iCloud', text: '550 5.1.6 recipient no longer on server: bob@icloud.com', category: 'moved' },
  { provider: 'iCloud', text: '554 5.7.1 <bob@icloud.com>: Relay access denied', category: 'relay' },
  // A 554 in place of the greeting (RFC 5321 §3.1): a refusal of the connecting IP, before anything else is named.
  { provider: 'iCloud', text: '554 mx01.mail.icloud.com ESMTP not accepting connections', category: 'blocked' },
  { provider: 'iCloud', text: '550 5.1.1 <bob@icloud.com>: inactive email address', category: 'recipient' },

  // --- Comcast (Xfinity) ------------------------------------------------------------------------------------------------
  // https://postmaster.comcast.net/smtp-error-codes.php and https://www.xfinity.com/support/articles/email-errors
  { provider: 'Comcast', text: `554 resimta-ch2-18v.sys.comcast.net comcast ${IP} found on one or more DNSBLs, see http://postmaster.comcast.net/smtp-error-codes.php#BL000001`, category: 'dnsbl', values: { ip: IP } },
  { provider: 'Comcast', text: `554 resimta-ch2-18v.sys.comcast.net comcast ${IP} Comcast block for spam. Please see http://postmaster.comcast.net/smtp-error-codes.php#BL000000`, category: 'blocked', values: { ip: IP } },
  { provider: 'Comcast', text: `554 resimta-po-39v.sys.comcast.net comcast ${IP} Dynamic IP. Please see http://postmaster.comcast.net/smtp-error-codes.php#ES000010`, category: 'blocked', values: { ip: IP } },
  { provider: 'Comcast', text: `554 resimta-h1p-028592.sys.comcast.net comcast ${IP} Rate limited. Please see http://postmaster.comcast.net/smtp-error-codes.php#RL000001`, category: 'rate', values: { ip: IP } },
  { provider: 'Comcast', text: `421 resimta-po-22v.sys.comcast.net comcast ${IP} Too many sessions opened`, category: 'rate', values: { ip: IP } },
  { provider: 'Comcast', text: '421 Reverse DNS failure : Try again later', category: 'rdns' },
  { provider: 'Comcast', text: '550 5.1.1 <bob@comcast.net> Not our Customer', category: 'recipient' },

  // --- AT&T (att.net, bellsouth.net) ------------------------------------------------------------------------------------
  // http://worldnet.att.net/general-info/bls_info/block_enduser.html and http://www.postmaster.bellsouth.net/error.htm
  { provider: 'AT&T', text: `553 5.3.0 flpd573 DNSBL:RBL 521< ${IP} >_is_blocked.For assistance forward this error to abuse_rbl@abuse-att.net`, category: 'dnsbl', values: { ip: IP } },
  { provider: 'AT&T', text: `550 5.7.1 Connections not accepted from servers without a valid sender domain.flph840 Fix reverse DNS for ${IP}`, category: 'rdns', values: { ip: IP } },
  { provider: 'AT&T', text: `550 <${IP}> blocked by ldap:ou=rblmx,dc=bellsouth,dc=net`, category: 'blocked', values: { ip: IP } },
  { provider: 'AT&T', text: '550 [permfail] bellsouth.net requires valid sender domain', category: 'sender-domain' },
  { provider: 'AT&T', text: '550 [suspend] Mailbox currently suspended - Please contact correspondent directly', category: 'mailbox-disabled' },

  // --- Cox -------------------------------------------------------------------------------------------------------------
  // https://www.cox.com/residential/support/email-error-codes.html (the AUP# codes; the words around them are Cox's reply form)
  { provider: 'Cox', text: `554 cxr.mx.a.cox.net cmsmtp ${IP} rejected. IP blocked. Refer to Error Codes section at https://www.cox.com/internet/support/email-error-codes.html for more information. AUP#CXBL`, category: 'blocked', values: { ip: IP } },
  { provider: 'Cox', text: `554 cxr.mx.a.cox.net cmsmtp ${IP} rejected. Refer to Error Codes section at https://www.cox.com/internet/support/email-error-codes.html for more information. AUP#IPBL0001`, category: 'dnsbl', values: { ip: IP } },
  { provider: 'Cox', text: `554 cxr.mx.a.cox.net cmsmtp ${IP} rejected. Refer to Error Codes section at https://www.cox.com/internet/support/email-error-codes.html for more information. AUP#CXDNS`, category: 'rdns', values: { ip: IP } },
  // CXSNDR: Cox's page says the sender's domain failed SPF, DomainKeys or DKIM (older wording: no MX or A record); read as authentication.
  { provider: 'Cox', text: '550 cxr.mx.a.cox.net cmsmtp sender rejected. Refer to Error Codes section at https://www.cox.com/internet/support/email-error-codes.html for more information. AUP#CXSNDR', category: 'auth' },
  { provider: 'Cox', text: '550 cxr.mx.a.cox.net cmsmtp Refer to Error Codes section at https://www.cox.com/internet/support/email-error-codes.html for more information. AUP#CXSMTP', category: 'syntax' },
  { provider: 'Cox', text: '421 cxr.mx.a.cox.net cmsmtp blocked. Refer to Error Codes section at https://www.cox.com/internet/support/email-error-codes.html for more information. AUP#CXCNCT', category: 'rate' },
  { provider: 'Cox', text: '452 cxr.mx.a.cox.net cmsmtp Refer to Error Codes section at https://www.cox.com/internet/support/email-error-codes.html for more information. AUP#CXMXRT', category: 'rate' },
  { provider: 'Cox', text: '552 cxr.mx.a.cox.net cmsmtp message rejected. Refer to Error Codes section at https://www.cox.com/internet/support/email-error-codes.html for more information. AUP#URLBL1011', category: 'spam' },
  { provider: 'Cox', text: `554 cxr.mx.a.cox.net cmsmtp ${IP} rejected. Refer to Error Codes section at https://www.cox.com/internet/support/email-error-codes.html for more information. AUP#IPBL00001`, category: 'dnsbl', values: { ip: IP } },
  { provider: 'Cox', text: '552 cxr.mx.a.cox.net cmsmtp message rejected. Refer to Error Codes section at https://www.cox.com/internet/support/email-error-codes.html for more information. AUP#URLBL011', category: 'spam' },
  { provider: 'Cox', text: `554 cxr.mx.a.cox.net cmsmtp Cox too many bad commands from ${IP}`, category: 'blocked', values: { ip: IP } },
  { provider: 'Cox', text: `550 cxr.mx.a.cox.net cmsmtp ${IP} too many invalid recipients`, category: 'blocked', values: { ip: IP } },
  { provider: 'Cox', text: '421 cxr.mx.a.cox.net cmsmtp DNS check failure - try again later', category: 'rdns' },
  { provider: 'Cox', text: `554 cxr.mx.a.cox.net cmsmtp ${IP} rejected - no rDNS`, category: 'rdns', values: { ip: IP } },
  { provider: 'Cox', text: '554 cxr.mx.a.cox.net cmsmtp ESMTP no data before greeting', category: 'syntax' },
  { provider: 'Cox', text: '552 cxr.mx.a.cox.net cmsmtp attachment extension is forbidden', category: 'policy' },
  { provider: 'Cox', text: '452 cxr.mx.a.cox.net cmsmtp message threshold exceeded', category: 'rate' },
  { provider: 'Cox', text: '550 cxr.mx.a.cox.net cmsmtp <bob@cox.net> recipient rejected', category: 'recipient' },

  // --- GoDaddy (secureserver.net) ------------------------------------------------------------------------------------------
  // https://www.godaddy.com/help/fix-rejected-email-with-a-bounce-error-40685
  { provider: 'GoDaddy', text: '552 5.2.0 This message has been rejected due to content judged to be spam by the internet community IB212', category: 'spam' },
  {
    provider: 'GoDaddy',
    text: "554 5.7.1 Your access to this mail system has been rejected due to the sending MTA's poor reputation. If you believe that this failure is in error, please contact the intended recipient via alternate means.",
    category: 'reputation',
  },
  { provider: 'GoDaddy', text: '550 Recipient not found', category: 'recipient' },
  { provider: 'GoDaddy', text: '421 Temporarily rejected. Reverse DNS for this IP failed. IB108', category: 'rdns' },
  { provider: 'GoDaddy', text: '554 Connection refused. This IP has a poor reputation on Cloudmark Sender Intelligence (CSI). IB103', category: 'reputation' },
  { provider: 'GoDaddy', text: '554 Connection refused. This IP address is listed on the Spamhaus Block List (SBL). IB104', category: 'dnsbl', values: { zone: ZEN } },
  { provider: 'GoDaddy', text: '554 Connection refused. This IP address is listed on the Exploits Block List (XBL). IB105', category: 'dnsbl' },
  { provider: 'GoDaddy', text: '554 This IP has been temporarily blocked for attempting to mail too many invalid recipients. IB112', category: 'blocked' },
  { provider: 'GoDaddy', text: '554 This IP has been blocked for the day, for attempting to send too many messages containing content judged to be spam by the Internet community. IB111', category: 'blocked' },
  { provider: 'GoDaddy', text: '421 Connection refused, too many sessions from This IP. Lower the number of concurrent sessions. IB007', category: 'rate' },
  { provider: 'GoDaddy', text: `550 ${IP} has sent to too many recipients this hour. IB607`, category: 'rate', values: { ip: IP } },
  { provider: 'GoDaddy', text: '550 This message has exceeded the max number of messages per session. Open a new session and try again. IB510', category: 'rate' },
  { provider: 'GoDaddy', text: '535 Authentication not allowed on IBSMTP Servers. IB401', category: 'smtp-auth' },
  { provider: 'GoDaddy', text: '550 alice@example.net Blank From: addresses are not allowed. Provide a valid From. IB501', category: 'policy' },
  { provider: 'GoDaddy', text: '550 example.net From: Domain is invalid. Provide a valid From: IB506', category: 'sender-domain', values: { domain: 'example.net' } },
  { provider: 'GoDaddy', text: '550 alice@example.net Invalid SPF record. Inspect your SPF settings, and try again. IB508', category: 'spf', values: { domain: 'example.net' } },
  { provider: 'GoDaddy', text: '552 Virus infected message rejected. IB705', category: 'virus' },

  // --- Mail.ru ----------------------------------------------------------------------------------------------------------
  // https://help.mail.ru/mail/postmaster/errors (and https://help.mail.ru/mail-help/postmaster/dmarc)
  { provider: 'Mail.ru', text: '550 spam message rejected. Please visit http://help.mail.ru/notspam-support/id?c=example or report details to abuse@corp.mail.ru. Error code: 8B5AF2ABC. ID: 0000000A1B2C3D4E.', category: 'spam' },
  { provider: 'Mail.ru', text: '550 5.7.1 This message was not accepted due to domain owner DMARC policy (RFC 7489) https://help.mail.ru/mail-help/postmaster/dmarc', category: 'dmarc' },
  { provider: 'Mail.ru', text: '550 Message was not accepted -- invalid mailbox. Local mailbox bob@mail.ru is unavailable: user not found', category: 'recipient' },
  { provider: 'Mail.ru', text: '550 Message was not accepted -- invalid mailbox. Local mailbox bob@mail.ru is unavailable: account is disabled', category: 'mailbox-disabled' },
  { provider: 'Mail.ru', text: '552 Message was not accepted -- invalid mailbox. Local mailbox bob@mail.ru is unavailable: user quota exceeded', category: 'mailbox-full' },

  // --- Yandex -----------------------------------------------------------------------------------------------------------
  // https://yandex.com/support/mail/bounces/yandex/message-rejected-under-suspicion-of-spam.html and https://yandex.com/support/mail/bounces/other.html
  { provider: 'Yandex', text: '554 5.7.1 Message rejected under suspicion of SPAM; https://ya.cc/1IrBc 1634060001-abcdEFGH', category: 'spam' },
  { provider: 'Yandex', text: `554 5.7.1 Blocked by spam statistics - see http://feedback.yandex.ru/?from=mail-rejects&subject=${IP}`, category: 'reputation', values: { ip: IP } },
  { provider: 'Yandex', text: `550 5.7.1 SPF check failed: ${IP} is not authorized to send in the name of domain example.net`, category: 'spf', values: { ip: IP, domain: 'example.net' } },
  { provider: 'Yandex', text: '550 5.7.1 Email rejected per DMARC policy for example.net', category: 'dmarc', values: { domain: 'example.net' } },
  { provider: 'Yandex', text: '550 5.7.1 No such user!', category: 'recipient' },
  { provider: 'Yandex', text: '552 5.2.2 Mailbox size limit exceeded', category: 'mailbox-full' },

  // --- QQ Mail (Tencent) --------------------------------------------------------------------------------------------------
  // http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022 (the numbered causes each reply links to)
  { provider: 'QQ', text: '550 Mail content denied. http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000726', category: 'spam' },
  { provider: 'QQ', text: '550 Ip frequency limited. http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000725', category: 'rate' },
  { provider: 'QQ', text: '550 Domain frequency limited. http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000727', category: 'rate' },
  { provider: 'QQ', text: '550 Mailbox not found. http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000728', category: 'recipient' },
  { provider: 'QQ', text: '550 Mail is rejected by recipients [MPpfPpNjuxKyAcmWoh+iXEIVeHvB1t]', category: 'recipient-filter' },
  // https://service.mail.qq.com/detail/122 (each cause has its own page: /66 spam IP, /57 bounce attacks, /59, /72, /168, /174)
  { provider: 'QQ', text: '550 Suspected spam ip. https://service.mail.qq.com/detail/122/66', category: 'reputation' },
  { provider: 'QQ', text: '550 Suspected bounce attacks. https://service.mail.qq.com/detail/122/57', category: 'reputation' },
  { provider: 'QQ', text: '550 Spam is embedded in the email. https://service.mail.qq.com/detail/122/59', category: 'spam' },
  { provider: 'QQ', text: '550 SPF check failed. https://service.mail.qq.com/detail/122/72', category: 'spf' },
  { provider: 'QQ', text: '550 DMARC check failed. https://service.mail.qq.com/detail/122/72', category: 'dmarc' },
  { provider: 'QQ', text: '552 Message too large. https://service.mail.qq.com/detail/122/168', category: 'size' },
  { provider: 'QQ', text: '550 Sender frequency limited. https://service.mail.qq.com/detail/122/174', category: 'rate' },
  { provider: 'QQ', text: '550 bob@qq.com is a deactivated mailbox. http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000742', category: 'mailbox-disabled' },

  // --- GMX, WEB.DE, 1&1 / IONOS (United Internet) -------------------------------------------------------------------------------
  // https://postmaster.gmx.net/en/error-messages (multi-line replies; the last line links the case with the IP)
  {
    provider: 'GMX',
    text: `554-gmx.net (mxgmx104) Nemesis ESMTP Service not available 554-No SMTP service 554-IP address is block listed. 554 For explanation visit https://postmaster.gmx.net/en/case?c=r0201&i=ip&v=${IP}&r=1MNcgj-1ue23t3pyV-00S2YR`,
    category: 'dnsbl',
    values: { ip: IP },
  },
  {
    provider: 'WEB.DE',
    text: `554-web.de (mxweb112) Nemesis ESMTP Service not available 554-No SMTP service 554-Bad DNS PTR resource record. 554 For explanation visit https://postmaster.web.de/en/case?c=r0102&i=ip&v=${IP}&r=1N2bQx-1ab2c3d4E5`,
    category: 'rdns',
    values: { ip: IP },
  },
  { provider: 'GMX', text: '550 Reject due to SPF policy. The originating IP of the message is not permitted by the domain owner', category: 'spf' },
  // https://help.1and1.com/e-mail-and-office-c37589/1and1-postmaster-c85193/smtp-error-messages-for-the-1and1-mail-server-a793087.html
  // "421 Reject due to policy violations": 1&1's page says the IP is blocked for a poor delivery rate (mail to many absent addresses).
  { provider: '1&1', text: '421 Reject due to policy violations', category: 'reputation' },
  { provider: '1&1', text: '421 Rate limit reached. Please try again later', category: 'rate' },
  { provider: '1&1', text: '550 Requested action not taken: mailbox unavailable', category: 'recipient' },
  { provider: '1&1', text: '552 Requested mail action aborted: exceeded storage allocation', category: 'mailbox-full' },

  // --- Zoho, Fastmail -----------------------------------------------------------------------------------------------------------
  // https://www.zoho.com/mail/help/email-bounce-back-messages.html
  { provider: 'Zoho', text: '553 Relaying disallowed. Invalid Domain - example.org', category: 'relay' },
  { provider: 'Zoho', text: '554 5.7.1 Email cannot be delivered. Reason: Email flagged as Spam.', category: 'spam' },
  { provider: 'Zoho', text: '554 5.7.7 Email policy violation detected', category: 'policy' },
  { provider: 'Zoho', text: '550 5.1.1 User does not exist - bob@example.org', category: 'recipient' },
  { provider: 'Zoho', text: '541 5.4.1 Mail rejected by destination domain', category: 'recipient-filter' },
  { provider: 'Zoho', text: '552 5.7.1 virus EICAR-Test-File detected by Zoho Mail', category: 'virus' },
  // https://mail.i.ua/err/ (i.ua documents each refusal under its number: 9 the sender's IP on a blocklist, 7 a wrong HELO, 2 no such user)
  { provider: 'i.ua', text: '550 Sorry, see https://mail.i.ua/err/9/', category: 'dnsbl' },
  { provider: 'i.ua', text: '550 Sorry, see https://mail.i.ua/err/7/', category: 'helo' },
  { provider: 'i.ua', text: '550 Sorry, see https://mail.i.ua/err/2/', category: 'recipient' },
  { provider: 'i.ua', text: '550 Sorry, see https://mail.i.ua/err/10/', category: 'recipient-filter' },
  // https://www.fastmail.help/hc/en-us/articles/360058753394 (Fastmail's blocklist reply names the list)
  { provider: 'Fastmail', text: `550 5.7.1 Email blocked by ${ZEN} - to unblock see https://www.spamhaus.org/lookup/`, category: 'dnsbl', values: { zone: ZEN } },
];

describe('the big mailbox providers\' documented rejections', () => {
  it('covers many providers and causes', () => {
    assert.ok(ROWS.length >= 80, `${ROWS.length} rows`);
    assert.ok(new Set(ROWS.map((r) => r.provider)).size >= 12);
  });
  for (const row of ROWS) {
    it(`${row.provider}: ${row.text.slice(0, 90)}`, async () => {
      const wording: WordingRow = { text: row.text, category: row.category, ...row.values };
      judgeWording(explainBounceText(row.text), wording, 'text', `${row.provider}: `);
      judgeWording(await explainBounce(wordingDsn(row.text)), wording, 'dsn', `${row.provider}: `);
    });
  }
});
