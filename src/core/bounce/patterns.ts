// Rejection texts that receivers send, and what each means. Each pattern runs over the bounce with
// white space folded to single spaces and the repeated reply-code prefixes of multi-line replies
// removed (`550-5.7.25 … 550-5.7.25 …` → one sentence), so a text wrapped by the sender's MTA
// still matches.
//
// Sources of the texts: Postfix's smtpd_check.c (HELO, client, sender restrictions and its RBL
// reply), postfix-policyd-spf, Exim's default ACL messages, Sendmail's DSN transcript, Gmail's
// replies (support.google.com/mail/answer/81126), Microsoft's (Exchange Online / Outlook.com NDRs),
// Yahoo's [BL21]/[TSS04] codes, and RFC 3463/7372/7505 enhanced status codes.
import type { BounceCategory, BounceMatch } from './types';

export type Values = BounceMatch['values'];

export interface BouncePattern {
  id: string;
  receiver: string;
  category: BounceCategory;
  title: string;
  senderSide?: boolean;
  re: RegExp;
  checked: string;
  explain(v: Values): string;
}

const IP = '(?<ip>(?:\\d{1,3}\\.){3}\\d{1,3}|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7})';
const NAME = '(?<helo>[^<>\\s]{1,255}(?: [^<>\\s]{1,255}){0,3})';
const ZONE = '(?<zone>[A-Za-z0-9][A-Za-z0-9-]*(?:\\.[A-Za-z0-9-]+)*)';
const CODE = '(?:(?<code>[45]\\d\\d)[ -])?(?:(?<enh>[45]\\.\\d{1,3}\\.\\d{1,3}) )?';
const HELO_FIX = 'The fix is on the sending server: set the name it sends in HELO/EHLO to its fully-qualified host name, one with an A record pointing to its public IP (the same name as the IP\'s PTR).';

export const PATTERNS: BouncePattern[] = [
  // --- HELO -------------------------------------------------------------------------------------------
  {
    id: 'postfix-helo-non-fqdn',
    receiver: 'Postfix',
    category: 'helo',
    title: 'HELO name is not fully qualified',
    re: new RegExp(`${CODE}<${NAME}>: Helo command rejected: need fully-qualified hostname`, 'gi'),
    checked: 'Postfix\'s reject_non_fqdn_helo_hostname: the name your server sends in HELO/EHLO must be a valid host name with a dot in it.',
    explain: (v) =>
      `The receiving server is a Postfix with reject_non_fqdn_helo_hostname. Your server introduced itself as "${v.helo ?? '?'}", a one-word name (usually the computer's own Windows name, sent because nobody set a mail name). ${HELO_FIX}`,
  },
  {
    id: 'postfix-helo-invalid',
    receiver: 'Postfix',
    category: 'helo',
    title: 'HELO name is not a valid host name',
    re: new RegExp(`${CODE}<${NAME}>: Helo command rejected: Invalid name`, 'gi'),
    checked: 'Postfix\'s reject_invalid_helo_hostname: the HELO name must be a syntactically valid host name (letters, digits, "-", dots) or an address literal.',
    explain: (v) => `Your server introduced itself as "${v.helo ?? '?'}", which is not a valid host name (a space, a bad character, or a misplaced dot or hyphen). ${HELO_FIX}`,
  },
  {
    id: 'postfix-helo-unknown',
    receiver: 'Postfix',
    category: 'helo',
    title: 'HELO name does not exist in DNS',
    re: new RegExp(`${CODE}<${NAME}>: Helo command rejected: Host not found`, 'gi'),
    checked: 'Postfix\'s reject_unknown_helo_hostname: the HELO name must have an A, AAAA or MX record.',
    explain: (v) => `Your server introduced itself as "${v.helo ?? '?'}", and the receiver found no A, AAAA or MX record for that name. Either publish the name in DNS (an A record with the server's IP) or make the server send a name that exists.`,
  },
  {
    id: 'postfix-helo-invalid-ip',
    receiver: 'Postfix',
    category: 'helo',
    title: 'HELO address literal is malformed',
    re: new RegExp(`${CODE}<${NAME}>: Helo command rejected: invalid ip address`, 'gi'),
    checked: 'Postfix checks that a HELO in brackets is a valid address literal ([192.0.2.1] or [IPv6:2001:db8::1]).',
    explain: (v) => `Your server introduced itself as "${v.helo ?? '?'}", a malformed address literal. Better: send the server's host name.`,
  },
  {
    id: 'exim-helo-syntax',
    receiver: 'Exim',
    category: 'helo',
    title: 'HELO name has invalid characters',
    re: /(?:after (?:EHLO|HELO) (?<helo>\S{1,255}): )?(?<code>5\d\d) Syntactically invalid (?:EHLO|HELO) argument\(s\)/gi,
    checked: 'Exim checks the HELO argument\'s syntax (by default, underscores and other characters outside host-name syntax are refused).',
    explain: (v) => `The receiver (Exim) refused the name your server sent in EHLO/HELO${v.helo ? ` ("${v.helo}")` : ''}: it is not a valid host name. ${HELO_FIX}`,
  },
  {
    id: 'bogus-helo',
    receiver: 'any',
    category: 'helo',
    title: '"BOGUS HELO": the HELO name does not match the sending address',
    re: /(?:(?<code>[45]\d\d) )?(?:(?<enh>[45]\.\d{1,3}\.\d{1,3}) )?BOGUS HELO(?: (?<helo>[A-Za-z0-9._-]{1,255}))?(?: does not match \[?(?<ip>[0-9A-Fa-f.:]{3,45})\]?)?/gi,
    checked: 'The receiver resolved the name your server gave in HELO and compared it with the address the connection came from (and that address\'s PTR name).',
    explain: (v) =>
      `The receiver calls your HELO "bogus": the name your server announced${v.helo ? ` (${v.helo})` : ''} does not resolve to the address it connected from${v.ip ? ` (${v.ip})` : ''}. RFC 5321 says receivers should not refuse mail for this alone, but some do. ` +
      'Make the HELO name, the A record and the PTR agree: the server says mail.example.com, mail.example.com resolves to its IP, and the IP\'s PTR is mail.example.com.',
  },
  {
    id: 'helo-mismatch',
    receiver: 'any',
    category: 'helo',
    title: 'HELO name does not match the client',
    re: /(?:HELO|EHLO)(?:\/EHLO)?(?: (?:name|hostname|argument))? (?<helo>[A-Za-z0-9._-]{1,255} )?(?:does not|doesn't|did not) (?:match|resolve to) (?:the )?(?:calling host|client|connecting (?:host|IP)|your IP|IP address)/gi,
    checked: 'The receiver compared the HELO name with the connecting address.',
    explain: (v) => `The name your server sent in HELO${v.helo ? ` (${v.helo.trim()})` : ''} does not resolve to the address it connected from. Make the HELO name, its A record and the IP's PTR agree.`,
  },
  {
    id: 'microsoft-helo',
    receiver: 'Microsoft',
    category: 'helo',
    title: 'HELO name refused (Exchange)',
    re: /(?<code>501) (?<enh>5\.5\.4) Invalid domain name/gi,
    checked: 'Exchange checks the syntax of the EHLO/HELO argument.',
    explain: () => `Exchange refused the name your server sent in EHLO/HELO as not a valid domain name. ${HELO_FIX}`,
  },

  // --- reverse DNS ------------------------------------------------------------------------------------------
  {
    id: 'postfix-reverse-hostname',
    receiver: 'Postfix',
    category: 'rdns',
    title: 'The sending IP has no usable PTR record',
    re: new RegExp(`${CODE}Client host rejected: cannot find your reverse hostname,? \\[${IP}\\]`, 'gi'),
    checked: 'Postfix\'s reject_unknown_reverse_client_hostname: the sending IP must have a PTR record.',
    explain: (v) => `The receiver looked up the PTR (reverse DNS) of your server's address ${v.ip ?? ''} and found none. The PTR is set by whoever holds the address block, usually your ISP: ask them to set it to your server's host name.`,
  },
  {
    id: 'postfix-hostname',
    receiver: 'Postfix',
    category: 'rdns',
    title: 'The sending IP\'s PTR name does not resolve back to it',
    re: new RegExp(`${CODE}Client host rejected: cannot find your hostname,? \\[${IP}\\]`, 'gi'),
    checked: 'Postfix\'s reject_unknown_client_hostname: the IP\'s PTR name must exist and its A record must point back to the IP (forward-confirmed reverse DNS).',
    explain: (v) =>
      `The receiver looked up the PTR of ${v.ip ?? 'your server\'s address'}, then the address of that name, and did not get back to ${v.ip ?? 'the address'}. Either there is no PTR, or the PTR names a host whose A record is another address (the seed's case: the PTR pointed at the mail server's name, whose A record was a different machine). A 450 reply is retried for days before it bounces.`,
  },
  {
    id: 'gmail-5.7.25',
    receiver: 'Gmail',
    category: 'rdns',
    title: 'Gmail: the sending IP has no matching PTR record',
    re: new RegExp(`(?<code>[45]\\d\\d)[ -](?<enh>[45]\\.7\\.25) \\[${IP}\\](?: The IP address sending this message does not have a PTR record[^.]{0,200}\\.)?`, 'gi'),
    checked: 'Gmail requires every sending IP to have a PTR record whose name resolves back to the same IP.',
    explain: (v) => `Gmail checked the reverse DNS of ${v.ip ?? 'your sending IP'}: there is no PTR record, or its name does not resolve back to the IP. Set the PTR (through the address holder, usually the ISP) to a name whose A record is the IP.`,
  },
  {
    id: 'rfc7372-7.25',
    receiver: 'any',
    category: 'rdns',
    title: 'Reverse DNS validation failed (X.7.25)',
    re: /(?<code>[45]\d\d)[ -](?<enh>[45]\.7\.25)\b/gi,
    checked: 'RFC 7372 X.7.25: the receiver checked the sending IP\'s PTR record and its forward confirmation.',
    explain: () => 'The receiver\'s reverse DNS check failed: the sending IP needs a PTR record naming the server, and that name must resolve back to the IP.',
  },
  {
    id: 'reverse-dns-generic',
    receiver: 'any',
    category: 'rdns',
    title: 'Reverse DNS check failed',
    re: /(?:reverse DNS|rDNS|PTR record|reverse lookup)[^.;]{0,60}?(?:fail|missing|not found|does not|doesn't|no match|mismatch|is required)/gi,
    checked: 'The receiver looked up the PTR record of your sending IP and its forward confirmation.',
    explain: () => 'The receiver refused your server because of its reverse DNS: the sending IP needs a PTR record naming the server, and that name must resolve back to the IP.',
  },

  // --- SPF ---------------------------------------------------------------------------------------------------
  {
    id: 'policyd-spf',
    receiver: 'Postfix',
    category: 'spf',
    title: 'SPF fail (postfix-policyd-spf)',
    re: /Message rejected due to: SPF fail - not authorized\.?(?: Please see \S*?[?;]s=(?<scope>mfrom|helo);id=(?<sender>[^;\s]{1,255});ip=(?<ip>[0-9A-Fa-f.:]{3,45})(?:;r=[^\s;)]*)?)?/gi,
    checked: 'SPF (RFC 7208): the receiver looked up the SPF record of the sender\'s domain and checked whether your server\'s IP is listed.',
    explain: (v) =>
      `The SPF record of ${v.domain ?? 'the sender\'s domain'} does not authorize ${v.ip ?? 'your server\'s IP'}, and ends in "-all", so the receiver rejects. Add the IP (ip4:${v.ip ?? '…'}) to the domain's SPF TXT record — the seed's "send as a different domain" case: the other domain's SPF must list your server.`,
  },
  {
    id: 'spf-not-permitted',
    receiver: 'any',
    category: 'spf',
    title: 'SPF: the domain does not designate the IP as a permitted sender',
    re: new RegExp(`domain of (?:(?<sender>[^\\s@()<>]{1,64}@)?(?<domain>[A-Za-z0-9.-]{1,253}))\\s+does not designate ${IP} as permitted sender`, 'gi'),
    checked: 'SPF (RFC 7208): the sender domain\'s SPF record does not list the sending IP.',
    explain: (v) => `The SPF record of ${v.domain ?? 'the sender\'s domain'} does not list ${v.ip ?? 'the sending IP'}. Add ip4:${v.ip ?? '…'} to its SPF TXT record (or send through a server it lists).`,
  },
  {
    id: 'microsoft-5.7.23',
    receiver: 'Microsoft',
    category: 'spf',
    title: 'SPF violation (Exchange Online)',
    re: /(?<code>5\d\d) (?<enh>5\.7\.23) The message was rejected because of Sender Policy Framework violation/gi,
    checked: 'Exchange Online evaluated SPF for the sender\'s domain and got fail.',
    explain: () => 'Exchange Online rejected the message because SPF failed: the sender domain\'s SPF record does not list the sending server\'s IP. Add the IP to the record.',
  },
  {
    id: 'spf-generic',
    receiver: 'any',
    category: 'spf',
    title: 'SPF check failed',
    re: /\bSPF\b[^.;\n]{0,40}?\b(?:fail(?:ed|ure)?|check failed|validation failed|hardfail|softfail)\b/gi,
    checked: 'SPF (RFC 7208) for the sender\'s domain.',
    explain: () => 'The receiver\'s SPF check failed: the sender domain\'s SPF record does not list the sending IP.',
  },

  // --- authentication, DMARC ------------------------------------------------------------------------------------
  {
    id: 'gmail-5.7.26-dmarc',
    receiver: 'Gmail',
    category: 'auth',
    title: 'Gmail: unauthenticated mail refused under the domain\'s DMARC policy',
    re: /(?<code>[45]\d\d)[ -](?<enh>[45]\.7\.26) Unauthenticated email from (?<domain>[A-Za-z0-9.-]{1,253}) is not accepted due to domain's DMARC policy/gi,
    checked: 'DMARC (RFC 7489): SPF or DKIM must pass for the From domain (aligned); the domain\'s DMARC policy says to reject mail that fails.',
    explain: (v) =>
      `Neither SPF nor DKIM passed for ${v.domain ?? 'the From domain'} (aligned with the From address), and its DMARC record says "reject". Make SPF pass (the sending IP in ${v.domain ?? 'the domain'}'s SPF record) or sign with DKIM.`,
  },
  {
    id: 'gmail-5.7.26',
    receiver: 'Gmail',
    category: 'auth',
    title: 'Gmail: the message is not authenticated (SPF and DKIM failed)',
    re: /(?<code>[45]\d\d)[ -](?<enh>[45]\.7\.26)(?! Unauthenticated email from)/gi,
    checked: 'Gmail requires SPF or DKIM to pass (RFC 7372 X.7.26: multiple authentication checks failed).',
    explain: () => 'Gmail found neither a passing SPF result nor a valid DKIM signature. Make SPF pass for the sender domain (list the sending IP) or sign the mail with DKIM.',
  },
  {
    id: 'microsoft-dmarc',
    receiver: 'Microsoft',
    category: 'auth',
    title: 'DMARC verification failed (Exchange Online)',
    re: /(?<code>5\d\d) (?<enh>5\.7\.509) Access denied, sending domain \[?(?<domain>[A-Za-z0-9.-]{1,253})\]? does not pass DMARC verification/gi,
    checked: 'DMARC (RFC 7489) for the From domain.',
    explain: (v) => `${v.domain ?? 'The From domain'} publishes a DMARC reject policy, and neither SPF nor DKIM passed aligned with it.`,
  },

  // --- blocklists -------------------------------------------------------------------------------------------------
  {
    id: 'microsoft-rbl',
    receiver: 'Microsoft',
    category: 'dnsbl',
    title: 'The sending IP is on a DNS blocklist (Exchange Online / Outlook.com)',
    re: new RegExp(`${CODE}Service unavailable, Client host \\[${IP}\\] blocked using ${ZONE}`, 'gi'),
    checked: 'Microsoft\'s receivers look the sending IP up in Spamhaus (and their own lists).',
    explain: (v) => `${v.ip ?? 'Your sending IP'} is listed on ${v.zone ?? 'a blocklist'}. Look it up at the list, fix the cause, and request removal; Microsoft accepts mail again once the listing is gone.`,
  },
  {
    id: 'postfix-rbl',
    receiver: 'Postfix',
    category: 'dnsbl',
    title: 'The sending IP is on a DNS blocklist',
    re: new RegExp(`${CODE}(?:Service unavailable; )?Client host \\[${IP}\\] blocked using ${ZONE}`, 'gi'),
    checked: 'The receiver looked the sending IP up in a DNS blocklist (RFC 5782).',
    explain: (v) => `${v.ip ?? 'Your sending IP'} is listed on ${v.zone ?? 'a blocklist'}. Find out why (the list's lookup page says), fix the cause (infected machine, compromised account, open relay), then request removal.`,
  },
  {
    id: 'exim-rbl',
    receiver: 'Exim',
    category: 'dnsbl',
    title: 'The sending IP is on a DNS blocklist',
    re: new RegExp(`rejected because ${IP} is in a black list at ${ZONE}`, 'gi'),
    checked: 'The receiver (Exim, dnslists ACL) looked the sending IP up in a DNS blocklist.',
    explain: (v) => `${v.ip ?? 'Your sending IP'} is listed on ${v.zone ?? 'a blocklist'}. Fix the cause, then request removal at the list.`,
  },
  {
    id: 'outlook-blocklist',
    receiver: 'Microsoft',
    category: 'dnsbl',
    title: 'Outlook.com refuses the network (S3150)',
    re: new RegExp(`messages from \\[${IP}\\] weren't sent\\. Please contact your Internet service provider since part of their network is on our block list \\((?<ref>S\\d{3,5})\\)`, 'gi'),
    checked: 'Outlook.com\'s own blocklist of networks.',
    explain: (v) => `Outlook.com blocks ${v.ip ?? 'your IP'} (its own list, not a public DNSBL). Request delisting through Microsoft's sender support form (https://sender.office.com/ or the Outlook.com postmaster site).`,
  },
  {
    id: 'microsoft-banned-ip',
    receiver: 'Microsoft',
    category: 'dnsbl',
    title: 'Exchange Online: banned sending IP',
    re: new RegExp(`(?<code>5\\d\\d) (?<enh>5\\.7\\.6[0-4]\\d) Access denied, banned sending IP \\[${IP}\\]`, 'gi'),
    checked: 'Microsoft 365\'s own list of banned sending IPs.',
    explain: (v) => `Microsoft 365 has banned ${v.ip ?? 'your sending IP'}. Request removal at https://sender.office.com/ once the cause is fixed.`,
  },
  {
    id: 'yahoo-bl21',
    receiver: 'Yahoo',
    category: 'dnsbl',
    title: 'Yahoo: the IP is on Spamhaus',
    re: new RegExp(`\\[BL21\\] Connections will not be accepted from ${IP}`, 'gi'),
    checked: 'Yahoo looks the connecting IP up in Spamhaus.',
    explain: (v) => `${v.ip ?? 'Your IP'} is on a Spamhaus list; Yahoo refuses it. Check and delist at Spamhaus.`,
  },
  {
    id: 'blocklist-generic',
    receiver: 'any',
    category: 'dnsbl',
    title: 'The sending IP is on a blocklist',
    re: /(?:blocked using|listed (?:in|on|at|by)|blacklisted (?:in|on|at|by)|blocklisted (?:in|on|at|by)|is on (?:a|the) (?:black|block) ?list (?:at|of)) (?<zone>[A-Za-z0-9][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)*)/gi,
    checked: 'The receiver looked the sending IP up in a blocklist.',
    explain: (v) => `Your sending IP is on ${v.zone ?? 'a blocklist'}. Check it with the list, fix the cause, and ask for removal.`,
  },

  // --- reputation and policy ------------------------------------------------------------------------------------------
  {
    id: 'gmail-unsolicited',
    receiver: 'Gmail',
    category: 'reputation',
    title: 'Gmail: the message looks like spam',
    re: new RegExp(`(?<code>[45]\\d\\d)[ -](?<enh>[45]\\.7\\.[01]) (?:\\[${IP}(?:\\s+\\d+)?\\] )?Our system has detected (?:that this message is likely unsolicited mail|an unusual rate of unsolicited mail)`, 'gi'),
    checked: 'Gmail\'s spam filters and the sending IP\'s and domain\'s reputation.',
    explain: (v) => `Gmail judged the message${v.ip ? ` from ${v.ip}` : ''} as unsolicited, or saw too much mail judged so. Authentication (SPF, DKIM, DMARC), reverse DNS and a clean blocklist record are the basics; Google Postmaster Tools shows the domain's reputation.`,
  },
  {
    id: 'gmail-not-authorized-direct',
    receiver: 'Gmail',
    category: 'reputation',
    title: 'Gmail: this IP should not send mail directly',
    re: /The IP you're using to send mail is not authorized to send email directly to our servers/gi,
    checked: 'Gmail treats the IP as an end-user address (dynamic or residential range, e.g. Spamhaus PBL).',
    explain: () => 'The sending IP looks like an end-user connection. Send through your provider\'s mail relay (smarthost), or get a static address with a proper PTR and remove it from the PBL.',
  },
  {
    id: 'yahoo-tss04',
    receiver: 'Yahoo',
    category: 'reputation',
    title: 'Yahoo: temporarily deferred (volume or complaints)',
    re: /\[TSS04\] Messages from (?<ip>[0-9A-Fa-f.:]{3,45}) temporarily deferred/gi,
    checked: 'Yahoo\'s reputation of the sending IP (volume, user complaints).',
    explain: (v) => `Yahoo is slowing mail from ${v.ip ?? 'your IP'} because of its volume or complaints; the sender retries. Check authentication and list hygiene.`,
  },

  // --- the sender's domain ----------------------------------------------------------------------------------------------
  {
    id: 'postfix-sender-domain',
    receiver: 'Postfix',
    category: 'sender-domain',
    title: 'The sender\'s domain does not exist in DNS',
    re: /(?:(?<code>[45]\d\d) )?(?:(?<enh>[45]\.1\.8) )?<(?<sender>[^<>\s@]{1,64}@(?<domain>[^<>\s]{1,253}))>: Sender address rejected: Domain not found/gi,
    checked: 'Postfix\'s reject_unknown_sender_domain: the envelope sender\'s domain must have an MX or A record.',
    explain: (v) => `The receiver found no MX or A record for ${v.domain ?? 'the sender\'s domain'}, so replies could never reach it. Publish an MX record (and the host's A record).`,
  },
  {
    id: 'null-mx-sender',
    receiver: 'any',
    category: 'sender-domain',
    title: 'The sender\'s domain has a null MX',
    re: /(?<code>[45]\d\d)[ -](?<enh>[45]\.7\.27)\b/gi,
    checked: 'RFC 7505: a domain with a null MX says it takes no mail, so receivers refuse mail from it.',
    explain: () => 'The sender\'s domain publishes a null MX ("MX 0 ."): it accepts no mail, so receivers refuse mail sent from it. Remove the null MX and publish a real one.',
  },

  // --- not the sender's problem ------------------------------------------------------------------------------------------
  {
    id: 'recipient-unknown',
    receiver: 'any',
    category: 'recipient',
    senderSide: false,
    title: 'The recipient does not exist',
    re: /(?:(?<code>5\d\d)[ -])?(?:(?<enh>5\.1\.1) )?(?:<[^<>\s]{1,255}>: )?(?:Recipient address rejected: )?(?:User unknown|No such user|mailbox unavailable|address rejected: undeliverable address|The email account that you tried to reach does not exist|Recipient not found|RecipientNotFound)/gi,
    checked: 'The receiver looked up the recipient\'s mailbox.',
    explain: () => 'The receiving server says the recipient address does not exist. Nothing on your server or in your DNS causes this: check the address with the recipient.',
  },
  {
    id: 'mailbox-full',
    receiver: 'any',
    category: 'recipient',
    senderSide: false,
    title: 'The recipient\'s mailbox is full',
    re: /(?:(?<code>[45]\d\d)[ -])?(?<enh>[45]\.2\.2)\b|mailbox (?:is )?full|over quota/gi,
    checked: 'The recipient\'s mailbox quota.',
    explain: () => 'The recipient\'s mailbox is full. Nothing to fix on the sending side; try later or reach them another way.',
  },
  {
    id: 'relay-denied',
    receiver: 'any',
    category: 'relay',
    title: 'Relaying refused',
    re: /Relay access denied|Unable to relay|relaying denied|relay not permitted/gi,
    checked: 'The receiving server accepts mail only for its own domains (or from its own users).',
    explain: () => 'The server your mail went to does not handle the recipient\'s domain (or wants you to log in first). Check that the recipient domain\'s MX points at it, and that your server delivers to the MX rather than to a fixed relay.',
  },
  {
    id: 'starttls-required',
    receiver: 'any',
    category: 'tls',
    title: 'The receiver requires TLS',
    re: /(?<code>530)[ -](?<enh>5\.7\.0) Must issue a STARTTLS command first/gi,
    checked: 'The receiver accepts mail only over an encrypted (STARTTLS) connection.',
    explain: () => 'The receiving server requires STARTTLS, and your server did not use it. Enable TLS for outgoing mail (Postfix: smtp_tls_security_level = may).',
  },
];
