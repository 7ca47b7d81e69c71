// How mail server software and filtering appliances word their rejections by default, each row from
// the software's own documentation or source (the message strings, placeholders filled with
// documentation addresses and example domains), run through the bounce explainer twice: as the
// reply text alone, and as the Diagnostic-Code of a minimal RFC 3464 delivery report. Each row says
// the cause it must be read as, and the values the text names; sender causes must get their check
// with those values, recipient and content causes no check on the sender's DNS.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { explainBounce, explainBounceText } from '../../src/core/bounce/explain';
import { judgeWording, type WordingRow, wordingDsn } from './bounceWordings';

type Row = WordingRow;

const ROWS: Row[] = [
  // --- Postfix smtpd restrictions (smtpd_check.c; postconf(5)) ---------------------------------------------
  // reject_unknown_client_hostname (Postfix 3.6 and later: 4.7.25) and reject_unknown_reverse_client_hostname
  { text: '450 4.7.1 Client host rejected: cannot find your hostname, [203.0.113.7]', category: 'rdns', ip: '203.0.113.7' },
  { text: '450 4.7.25 Client host rejected: cannot find your hostname, [203.0.113.40]', category: 'rdns', ip: '203.0.113.40' },
  { text: '550 5.7.25 Client host rejected: cannot find your reverse hostname, [203.0.113.8]', category: 'rdns', ip: '203.0.113.8' },
  // reject_rbl_client: "Service unavailable; Client host [ip] blocked using zone[; TXT]"
  { text: '554 5.7.1 Service unavailable; Client host [203.0.113.9] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/203.0.113.9', category: 'dnsbl', ip: '203.0.113.9', zone: 'zen.spamhaus.org' },
  { text: '554 5.7.1 Service unavailable; Client host [203.0.113.10] blocked using bl.spamcop.net; Blocked - see https://www.spamcop.net/bl.shtml?203.0.113.10', category: 'dnsbl', ip: '203.0.113.10', zone: 'bl.spamcop.net' },
  // reject_rhsbl_sender / reject_rhsbl_helo / reject_rhsbl_client: the listed name in brackets
  { text: '554 5.7.1 Service unavailable; Sender address [alice@spammy.example] blocked using dbl.spamhaus.org; https://www.spamhaus.org/query/domain/spammy.example', category: 'dnsbl', domain: 'spammy.example', zone: 'dbl.spamhaus.org', nameListed: true },
  { text: '554 5.7.1 Service unavailable; Helo command [spammy.example] blocked using dbl.spamhaus.org', category: 'dnsbl', helo: 'spammy.example', zone: 'dbl.spamhaus.org', nameListed: true },
  { text: '554 5.7.1 Service unavailable; Client host [mail.spammy.example] blocked using dbl.spamhaus.org', category: 'dnsbl', zone: 'dbl.spamhaus.org' },
  { text: '554 5.7.1 Service unavailable; Unverified Client host [mail.spammy.example] blocked using dbl.spamhaus.org', category: 'dnsbl', zone: 'dbl.spamhaus.org' },
  // reject_unknown_sender_domain, its null-MX form (RFC 7505: 550 5.7.27 for the sender, 556 5.1.10 for a recipient)
  { text: '450 4.1.8 <alice@nosuch.example>: Sender address rejected: Domain not found', category: 'sender-domain', domain: 'nosuch.example' },
  { text: '550 5.1.8 <alice@nosuch.example>: Sender address rejected: Domain not found', category: 'sender-domain', domain: 'nosuch.example' },
  { text: '550 5.7.27 <alice@nullmx.example>: Sender address rejected: Domain nullmx.example does not accept mail (nullMX)', category: 'sender-domain', domain: 'nullmx.example' },
  // reject_non_fqdn_sender: the sending software writes an address without a domain
  { text: '504 5.5.2 <alice>: Sender address rejected: need fully-qualified address', category: 'sender' },
  // HELO restrictions
  { text: '501 5.5.2 <mail_server>: Helo command rejected: Invalid name', category: 'helo', helo: 'mail_server' },
  { text: '450 4.7.1 <mail.nosuch.example>: Helo command rejected: Host not found', category: 'helo', helo: 'mail.nosuch.example' },
  { text: '504 5.5.2 <WIN-SRV01>: Helo command rejected: need fully-qualified hostname', category: 'helo', helo: 'WIN-SRV01' },
  // reject_unauth_destination
  { text: '554 5.7.1 <bob@elsewhere.example>: Relay access denied', category: 'relay' },
  // check_*_access REJECT (the default "Access denied" text), reject_unknown_recipient_domain, reject_unauth_pipelining
  { text: '554 5.7.1 <unknown[203.0.113.45]>: Client host rejected: Access denied', category: 'blocked', ip: '203.0.113.45' },
  { text: '554 5.7.1 <alice@spammy.example>: Sender address rejected: Access denied', category: 'sender', domain: 'spammy.example' },
  { text: '554 5.7.1 <spammy.example>: Helo command rejected: Access denied', category: 'helo', helo: 'spammy.example' },
  { text: '450 4.1.8 <alice@example.com>: Sender address rejected: Malformed DNS server reply', category: 'sender-domain', domain: 'example.com' },
  { text: '450 4.1.2 <bob@nosuch.example>: Recipient address rejected: Domain not found', category: 'recipient-domain' },
  { text: '554 5.7.1 <bob@example.org>: Recipient address rejected: Access denied', category: 'recipient' },
  { text: '503 5.5.0 <bob@example.org>: Client host rejected: Improper use of SMTP command pipelining', category: 'syntax' },
  // the SMTP client's login at a relay host (smtp_sasl_auth_enable), and TLS required
  { text: '535 5.7.8 Error: authentication failed: authentication failure', category: 'smtp-auth' },
  { text: '530 5.7.0 Must issue a STARTTLS command first', category: 'tls' },
  { text: '552 5.3.4 Error: message file too big', category: 'size' },
  { text: '550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown in relay recipient table', category: 'recipient' },
  // reject_unverified_sender: the sender address does not take mail (its own server said so)
  {
    text: '450 4.1.7 <alice@example.com>: Sender address rejected: unverified address: host mx.example.com[198.51.100.20] said: 550 5.1.1 <alice@example.com>: Recipient address rejected: User unknown in virtual mailbox table',
    category: 'sender',
  },
  { text: '550 5.1.7 <alice@example.com>: Sender address rejected: undeliverable address: unknown user: "alice"', category: 'sender' },
  // smtpd_sender_login_maps: reject_sender_login_mismatch
  { text: '553 5.7.1 <ceo@example.com>: Sender address rejected: not owned by user alice', category: 'not-permitted' },
  { text: '553 5.7.1 <ceo@example.com>: Sender address rejected: not logged in', category: 'smtp-auth' },
  // message_size_limit, smtpd_recipient_limit, pipelining, anvil connection and message rate limits
  { text: '552 5.3.4 Message size exceeds fixed limit', category: 'size' },
  { text: '452 4.5.3 Error: too many recipients', category: 'rate' },
  { text: '554 5.5.0 Error: SMTP protocol synchronization', category: 'syntax' },
  { text: '421 4.7.0 mx.example.net Error: too many connections from 203.0.113.11', category: 'rate', ip: '203.0.113.11' },
  { text: '421 4.7.0 mx.example.net Error: too many messages from 203.0.113.12', category: 'rate', ip: '203.0.113.12' },
  // the Postfix SMTP client's summary names the receiver ("host name[ip] refused to talk to me"): its address is not the sender's
  { text: 'host mx.example.org[198.51.100.25] refused to talk to me: 554 5.7.1 Service unavailable; Client host [203.0.113.50] blocked using zen.spamhaus.org', category: 'dnsbl', ip: '203.0.113.50', zone: 'zen.spamhaus.org' },
  // postscreen: its DNSBL reply, the pregreet/protocol tests, all ports busy
  { text: '550 5.7.1 Service unavailable; client [203.0.113.13] blocked using zen.spamhaus.org', category: 'dnsbl', ip: '203.0.113.13', zone: 'zen.spamhaus.org' },
  { text: '521 5.5.1 Protocol error', category: 'syntax' },
  { text: '421 4.3.2 All server ports are busy', category: 'recipient-server' },
  // recipient side: local and virtual tables, the recipient's null MX, Dovecot LMTP quota
  { text: '550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown in local recipient table', category: 'recipient' },
  { text: '550 5.1.1 <bob@example.org>: Recipient address rejected: undeliverable address: host mx.example.org[198.51.100.21] said: 550 5.1.1 <bob@example.org>: User unknown', category: 'recipient' },
  { text: '556 5.1.10 <bob@nullmx.example>: Recipient address rejected: Domain nullmx.example does not accept mail (nullMX)', category: 'recipient-domain' },
  { text: '504 5.5.2 <bob>: Recipient address rejected: need fully-qualified address', category: 'recipient' },
  { text: '552 5.2.2 <bob@example.org> Quota exceeded (mailbox for user is full)', category: 'mailbox-full' },
  { text: '452 4.3.1 Insufficient system storage', category: 'recipient-server' },
  // postfix-policyd-spf and OpenDMARC
  {
    text: '550 5.7.23 <bob@example.org>: Recipient address rejected: Message rejected due to: SPF fail - not authorized. Please see http://www.open-spf.org/Why?s=mfrom;id=alice@example.com;ip=203.0.113.14;r=<UNKNOWN>',
    category: 'spf',
    ip: '203.0.113.14',
    domain: 'example.com',
  },
  { text: '550 5.7.1 rejected by DMARC policy for example.com', category: 'dmarc', domain: 'example.com' },

  // --- Exim (default configure ACLs, routers, transports; the spec's example ACLs) --------------------------
  { text: '550 Rejected because 203.0.113.15 is in a black list at zen.spamhaus.org', category: 'dnsbl', ip: '203.0.113.15', zone: 'zen.spamhaus.org' },
  {
    text: '550-Rejected because 203.0.113.16 is in a black list at b.barracudacentral.org\n550 Client host blocked using Barracuda Reputation, see http://www.barracudanetworks.com/reputation/?r=1&ip=203.0.113.16',
    category: 'dnsbl',
    ip: '203.0.113.16',
    zone: 'b.barracudacentral.org',
  },
  { text: '550 relay not permitted', category: 'relay' },
  { text: '550-Verification failed for <alice@nosuch.example>\n550-Unrouteable address\n550 Sender verify failed', category: 'sender', domain: 'nosuch.example' },
  { text: '550 Unrouteable address', category: 'recipient-domain' },
  { text: '550 Unknown user', category: 'recipient' },
  { text: '550 no host name found for IP address 203.0.113.17', category: 'rdns', ip: '203.0.113.17' },
  { text: '550 EHLO argument does not match calling host', category: 'helo' },
  { text: '501 Syntactically invalid EHLO argument(s)', category: 'helo' },
  { text: '550 203.0.113.18 is not allowed to send mail from example.com', category: 'spf', ip: '203.0.113.18', domain: 'example.com' },
  { text: 'retry timeout exceeded', category: 'expired' },
  { text: 'all relevant MX records point to non-existent hosts', category: 'recipient-domain' },
  { text: '552 Message size exceeds maximum permitted', category: 'size' },
  { text: 'message has lines too long for transport', category: 'policy' },
  { text: '550 This message contains a virus (Eicar-Test-Signature).', category: 'virus' },
  { text: '550 This message scored 12.3 spam points.', category: 'spam' },
  { text: '535 Incorrect authentication data', category: 'smtp-auth' },
  { text: '554 SMTP synchronization error', category: 'syntax' },
  { text: '421 Too many concurrent SMTP connections; please try again later.', category: 'rate' },
  { text: '550 Administrative prohibition', category: 'blocked' },
  { text: '451 Could not complete sender verify', category: 'sender' },
  { text: '550 rejected because spammy.example is in a black list at dbl.spamhaus.org', category: 'dnsbl', domain: 'spammy.example', zone: 'dbl.spamhaus.org', nameListed: true },
  { text: '550 Mailbox quota exceeded', category: 'mailbox-full' },
  { text: '451 Temporary local problem - please try later', category: 'recipient-server' },
  { text: '550-Callout verification failed:\n550 550 5.1.1 <bob@example.org>: User unknown', category: 'recipient' },

  // --- Sendmail (cf/m4/proto.m4: check_relay, check_mail, check_rcpt; FEATURE(dnsbl); ratecontrol) ----------
  { text: '550 5.7.1 <bob@example.org>... Relaying denied', category: 'relay' },
  { text: '550 5.7.1 <bob@example.org>... Relaying denied. IP name lookup failed [203.0.113.19]', category: 'rdns', ip: '203.0.113.19' },
  { text: '550 5.7.1 <bob@example.org>... Relaying denied. IP name possibly forged [203.0.113.20]', category: 'rdns', ip: '203.0.113.20' },
  { text: '450 4.4.0 <bob@example.org>... Relaying temporarily denied. Cannot resolve PTR record for 203.0.113.21', category: 'rdns', ip: '203.0.113.21' },
  { text: '550 5.7.1 <bob@example.org>... Relaying denied. Proper authentication required.', category: 'smtp-auth' },
  { text: '553 5.1.8 <alice@nosuch.example>... Domain of sender address alice@nosuch.example does not exist', category: 'sender-domain', domain: 'nosuch.example' },
  { text: '451 4.1.8 Domain of sender address alice@nosuch.example does not resolve', category: 'sender-domain', domain: 'nosuch.example' },
  { text: '553 5.5.4 <alice>... Domain name required for sender address alice', category: 'sender' },
  { text: '550 5.7.1 Rejected: 203.0.113.22 listed at zen.spamhaus.org', category: 'dnsbl', ip: '203.0.113.22', zone: 'zen.spamhaus.org' },
  { text: '550 5.7.1 <bob@example.org>... Access denied', category: 'blocked' },
  { text: '550 5.1.1 <bob@example.org>... User unknown', category: 'recipient' },
  { text: '552 5.2.3 Message size exceeds fixed maximum message size (10485760)', category: 'size' },
  { text: '421 4.3.2 Connection rate limit exceeded.', category: 'rate' },
  { text: '421 4.3.2 Too many open connections.', category: 'rate' },
  { text: '452 4.4.5 Insufficient disk space; try again later', category: 'recipient-server' },
  { text: '553 5.1.7 <alice>... Real domain name required for sender address', category: 'sender' },
  { text: '451 4.3.0 Temporary system failure. Please try again later.', category: 'recipient-server' },

  // --- qmail and its patches (qmail-smtpd, rblsmtpd, chkuser, qmail-send) ----------------------------------------
  { text: "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)", category: 'relay' },
  { text: '553 sorry, your envelope sender is in my badmailfrom list (#5.7.1)', category: 'sender' },
  { text: '553 Blocked - see https://www.spamcop.net/bl.shtml?203.0.113.23', category: 'dnsbl', ip: '203.0.113.23', zone: 'bl.spamcop.net' },
  { text: '550 5.1.1 sorry, no mailbox here by that name (chkuser)', category: 'recipient' },
  { text: "511 sorry, can't find a valid MX for sender domain (#5.1.1 - chkuser)", category: 'sender-domain' },
  { text: "Sorry, I couldn't find any host named nosuch.example. (#5.1.2)", category: 'recipient-domain' },
  { text: "I'm not going to try again; this message has been in the queue too long.", category: 'expired' },
  { text: "Sorry, I wasn't able to establish an SMTP connection. (#4.4.1)", category: 'network' },
  { text: 'This message is looping: it already has my Delivered-To line. (#5.4.6)', category: 'network' },
  { text: '552 sorry, that message size exceeds my databytes limit (#5.3.4)', category: 'size' },
  // the qmail-smtpd RBL patch: the list's TXT record (Spamhaus's lookup address) is the reply
  { text: '553 https://www.spamhaus.org/query/ip/203.0.113.44', category: 'dnsbl', ip: '203.0.113.44', zone: 'zen.spamhaus.org' },

  // --- OpenSMTPD, Courier --------------------------------------------------------------------------------------
  { text: '550 Invalid recipient: <bob@example.org>', category: 'recipient' },
  { text: '550 User unknown.', category: 'recipient' },
  // Courier's submit: the sender domain's DNS (BOFHCHECKDNS), its badfrom list, SPF, its recipient limit
  { text: '517-Domain does not exist: nosuch.example.\n517 Invalid domain, see <URL:ftp://ftp.isi.edu/in-notes/rfc1035.txt>', category: 'sender-domain', domain: 'nosuch.example' },
  { text: '517-MX records for badmx.example violate section 3.3.9 of RFC 1035.\n517 Invalid domain, see <URL:ftp://ftp.isi.edu/in-notes/rfc1035.txt>', category: 'sender-domain', domain: 'badmx.example' },
  { text: '417 DNS lookup failure: nosuch.example.  Try again later.', category: 'sender-domain', domain: 'nosuch.example' },
  { text: '517 Sender rejected: alice@spammy.example', category: 'sender', domain: 'spammy.example' },
  { text: '517 SPF fail alice@example.com: Address does not pass the Sender Policy Framework', category: 'spf' },
  { text: '531 Too many recipients.', category: 'rate' },
  // hMailServer; Haraka (its core's reply when no plugin takes the recipient, mail_from.is_resolvable)
  { text: '550 Delivery is not allowed to this address.', category: 'relay' },
  { text: '550 Blocked by SPF ()', category: 'spf' },
  { text: '530 SMTP authentication is required.', category: 'smtp-auth' },
  { text: '550 No MX for your FROM address', category: 'sender-domain' },
  { text: '550 I cannot deliver mail for <bob@example.org>', category: 'recipient' },

  // --- Exchange Server on-premises (NDR codes) -------------------------------------------------------------------
  { text: '550 5.7.1 Unable to relay', category: 'relay' },
  { text: '550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain', category: 'relay' },
  { text: '550 5.7.60 SMTP; Client does not have permissions to send as this sender', category: 'not-permitted' },
  { text: '530 5.7.57 SMTP; Client was not authenticated to send anonymous mail during MAIL FROM', category: 'smtp-auth' },
  { text: '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient bob@example.org not found by SMTP address lookup', category: 'recipient' },
  { text: '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found', category: 'recipient' },
  { text: '550 5.7.1 RESOLVER.RST.AuthRequired; authentication required', category: 'recipient-filter' },
  { text: '550 5.7.1 RESOLVER.RST.NotAuthorized; not authorized', category: 'recipient-filter' },
  { text: '550 5.7.1 Delivery not authorized, message refused', category: 'recipient-filter' },
  { text: '554 5.4.6 Hop count exceeded - possible mail loop', category: 'network' },
  { text: '550 4.4.7 QUEUE.Expired; message expired', category: 'expired' },
  { text: '554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded', category: 'mailbox-full' },
  { text: '550 5.3.4 ROUTING.SizeLimit; message size exceeds fixed maximum size for route', category: 'size' },
  { text: '550 5.7.1 Message rejected as spam by Content Filtering.', category: 'spam' },
  { text: '550 5.7.1 Message rejected due to content restrictions', category: 'policy' },
  { text: '554 5.1.0 Sender denied', category: 'sender' },

  // --- HCL (Lotus) Domino ------------------------------------------------------------------------------------------
  { text: '550 5.7.1 Relay rejected for policy reasons.', category: 'relay' },
  { text: 'User bob (bob@example.org) not listed in Domino Directory', category: 'recipient' },

  // --- filtering services and appliances ----------------------------------------------------------------------------
  // Mimecast's documented codes (community.mimecast.com DOC-1369)
  { text: '550 Administrative prohibition - envelope blocked - https://community.mimecast.com/docs/DOC-1369#550', category: 'sender' },
  { text: '550 Envelope blocked - User Entry - https://community.mimecast.com/docs/DOC-1369#550', category: 'sender' },
  { text: '550 Rejected by header based manually Blocked Senders - block for manual block', category: 'sender' },
  { text: '550 csi.mimecast.org Poor Reputation Sender. - https://community.mimecast.com/docs/DOC-1369#550', category: 'reputation' },
  { text: '550 Invalid Recipient - https://community.mimecast.com/docs/DOC-1369#550', category: 'recipient' },
  { text: '554 Email rejected due to security policies - https://community.mimecast.com/docs/DOC-1369#554', category: 'policy' },
  { text: '550 spamcop.mimecast.org Blocked - see http://www.spamcop.net/bl.shtml?203.0.113.26', category: 'dnsbl', ip: '203.0.113.26', zone: 'bl.spamcop.net' },
  // Barracuda (Reputation list in Postfix's wording; Email Security Service's per-recipient result)
  { text: '554 Service unavailable; Client host [203.0.113.27] blocked using Barracuda Reputation; http://www.barracudanetworks.com/reputation/?r=1&ip=203.0.113.27', category: 'dnsbl', ip: '203.0.113.27', zone: 'b.barracudacentral.org' },
  { text: '550 permanent failure for one or more recipients (bob@example.org:blocked)', category: 'blocked' },
  // Cisco Secure Email (IronPort): SBRS, SPF, DMARC and DKIM verification defaults, recipient rate limit
  { text: "554 Your access to this mail system has been rejected due to the sending MTA's poor reputation. If you believe that this failure is in error, please contact the intended recipient via alternate means.", category: 'reputation' },
  { text: '550 #5.7.1 SPF unauthorized mail is prohibited.', category: 'spf' },
  { text: '451 #4.4.3 Temporary error occurred during SPF verification.', category: 'spf' },
  { text: '550 #5.7.1 DMARC unauthenticated mail is prohibited.', category: 'dmarc' },
  { text: '550 #5.7.1 DKIM unauthenticated mail is prohibited.', category: 'dkim' },
  { text: '452 Too many recipients received this hour', category: 'rate' },
  { text: '550 #5.1.0 Address rejected.', category: 'recipient' },
  // Trend Micro Email Reputation Services (RBL+ and the zombie/QIL list)
  { text: '550 Mail from 203.0.113.28 blocked using Trend Micro RBL+. Please see http://www.mail-abuse.com/cgi-bin/lookup?ip_address=203.0.113.28', category: 'dnsbl', ip: '203.0.113.28' },
  { text: '450 Mail from 203.0.113.29 deferred using Trend Micro Email Reputation database. Please see http://www.mail-abuse.com/cgi-bin/lookup?203.0.113.29', category: 'dnsbl', ip: '203.0.113.29' },
  // Symantec Email Security.cloud (MessageLabs): its relay refusal and queue timeout, and rejections its support article lists as common
  { text: '550 SPF check failed. Sender not authorized', category: 'spf' },
  { text: '554 Denied (Mode: normal)', category: 'spam' },
  { text: '553 Envelope sender rejected', category: 'sender' },
  { text: '553-you are trying to use me [server-4.messagelabs.example] as a relay, but I have not been configured to let you [203.0.113.31, mail.example.com] do this.', category: 'relay' },
  { text: '554 5.4.7 [internal] exceeded max time without delivery', category: 'expired' },
  // Sophos UTM and other Exim-based gateways
  { text: '550 Sender verification failed', category: 'sender' },
  { text: '550 5.7.1 Rejected - listed in bl.spamcop.net', category: 'dnsbl', zone: 'bl.spamcop.net' },
  // Proofpoint: its IP reputation block, its DMARC reject text
  { text: '554 5.7.1 Blocked - see https://ipcheck.proofpoint.com/?ip=203.0.113.48', category: 'blocked', ip: '203.0.113.48' },
  { text: '550 5.7.1 Email rejected per DMARC policy for example.com', category: 'dmarc', domain: 'example.com' },
  // a refusal that names the connecting address (gateways' connection policies)
  { text: '554 5.7.1 Mail from 203.0.113.51 rejected for policy reasons.', category: 'blocked', ip: '203.0.113.51' },
  // Cisco: the HAT's reject for a blocked sender group
  { text: '550 #5.7.1 Your access to submit messages to this e-mail system has been rejected.', category: 'blocked' },
  // Barricade MX (smtpf): its access-map replies
  { text: '550 5.7.1 host mail.spammy.example [203.0.113.47] black listed #120', category: 'blocked', ip: '203.0.113.47' },
  { text: '550 5.7.1 sender <alice@spammy.example> black listed #127', category: 'sender', domain: 'spammy.example' },
  // amavis, rspamd, spamass-milter
  { text: '554 5.7.0 Reject, id=12345-01 - SPAM', category: 'spam' },
  { text: '554 5.7.0 Reject, id=12345-02 - INFECTED: Eicar-Test-Signature', category: 'virus' },
  { text: '554 5.7.0 Reject, id=12345-03 - BANNED: P=p003,L=1,M=application/x-msdownload,T=exe,N=setup.exe', category: 'policy' },
  { text: '554 5.6.0 Reject, id=12345-04 - BAD_HEADER: Improper use of control character', category: 'policy' },
  { text: '554 5.7.1 Spam message rejected', category: 'spam' },
  { text: '550 5.7.1 Rejected due to DMARC policy', category: 'dmarc' },
  { text: '550 5.7.1 Blocked by SpamAssassin', category: 'spam' },

  // --- the DNSBL operators' reply texts, as MTAs quote them ---------------------------------------------------------
  {
    text: '550-Rejected because 203.0.113.33 is in a black list at zen.spamhaus.org\n550 https://www.spamhaus.org/query/ip/203.0.113.33',
    category: 'dnsbl',
    ip: '203.0.113.33',
    zone: 'zen.spamhaus.org',
  },
  { text: '554 5.7.1 Service unavailable; Client host [203.0.113.34] blocked using dnsbl.sorbs.net; Currently Sending Spam See: http://www.sorbs.net/lookup.shtml?203.0.113.34', category: 'dnsbl', ip: '203.0.113.34', zone: 'dnsbl.sorbs.net' },
  {
    text: '554 5.7.1 Service unavailable; Client host [203.0.113.35] blocked using dnsbl-1.uceprotect.net; IP 203.0.113.35 is UCEPROTECT-Level 1 listed. See http://www.uceprotect.net/rblcheck.php?ipr=203.0.113.35',
    category: 'dnsbl',
    ip: '203.0.113.35',
    zone: 'dnsbl-1.uceprotect.net',
  },
  { text: '550 5.7.1 Rejected: 203.0.113.36 listed at psbl.surriel.com', category: 'dnsbl', ip: '203.0.113.36', zone: 'psbl.surriel.com' },
  { text: '554 5.7.1 Service unavailable; Client host [203.0.113.37] blocked using bl.mailspike.net; Listed in Mailspike Reputation Blacklist', category: 'dnsbl', ip: '203.0.113.37', zone: 'bl.mailspike.net' },
  { text: '550 Rejected because 203.0.113.38 is in a black list at b.barracudacentral.org', category: 'dnsbl', ip: '203.0.113.38', zone: 'b.barracudacentral.org' },
  { text: '550 5.7.1 Rejected: 203.0.113.39 listed at bl.spamcop.net', category: 'dnsbl', ip: '203.0.113.39', zone: 'bl.spamcop.net' },
  { text: '554 5.7.1 Service unavailable; Client host [203.0.113.41] blocked using zen.spamhaus.org; Listed by PBL, see https://check.spamhaus.org/query/ip/203.0.113.41', category: 'dnsbl', ip: '203.0.113.41', zone: 'zen.spamhaus.org' },
  { text: '554 5.7.1 Service unavailable; Client host [203.0.113.42] blocked using psbl.surriel.com; Listed on PSBL, see https://psbl.org/listing?ip=203.0.113.42', category: 'dnsbl', ip: '203.0.113.42', zone: 'psbl.surriel.com' },
  { text: '554 5.7.1 Service unavailable; Client host [203.0.113.49] blocked using all.spamrats.com; SPAMRATS IP Addresses See: http://www.spamrats.com/lookup.php?ip=203.0.113.49', category: 'dnsbl', ip: '203.0.113.49', zone: 'all.spamrats.com' },
  { text: '550 5.2.1 Mailbox disabled, not accepting messages', category: 'mailbox-disabled' },
];

describe('default rejection texts of mail server software and filters', () => {
  it('has 80 rows or more, each reply once', () => {
    assert.ok(ROWS.length >= 80, `${ROWS.length} rows`);
    assert.equal(new Set(ROWS.map((r) => r.text)).size, ROWS.length);
  });
  for (const row of ROWS) {
    it(`${row.category}: ${row.text.slice(0, 90)}`, async () => {
      judgeWording(explainBounceText(row.text), row, 'text');
      judgeWording(await explainBounce(wordingDsn(row.text)), row, 'dsn');
    });
  }
});
