// A hand-built RdnsResult for the report and tree tests: 203.0.113.7 has two PTR names; the first
// resolves to another address (the chain goes wrong there, and that address loops back), the
// second is hostile data that does not exist.
import type { RdnsResult } from '../../src/core/rdns/types';

export const HOSTILE_NAME = 'evil<script>alert(1)</script>`|x\n# pwned [link](command:foo) *b* $m$';
export const HOSTILE_DIG = 'dig @127.0.0.1 -p 5300 ```\nrm -rf ~ PTR';

const SERVER = '127.0.0.1:5300';

export function failingResult(): RdnsResult {
  return {
    kind: 'rdns',
    ip: '203.0.113.7',
    family: 4,
    reverseName: '7.113.0.203.in-addr.arpa',
    special: { name: 'Documentation (TEST-NET-3)', rfc: 'RFC 5737', network: '203.0.113.0/24' },
    ptr: ['mail.example.com', HOSTILE_NAME],
    confirmed: [],
    fcrdns: 'fail',
    chain: [
      {
        index: 0,
        query: '7.113.0.203.in-addr.arpa',
        type: 'PTR',
        subject: '203.0.113.7',
        answers: ['mail.example.com', HOSTILE_NAME],
        ttl: 3600,
        rcode: 'NOERROR',
        cnames: [],
        server: SERVER,
        dig: 'dig @127.0.0.1 -p 5300 +norecurse 7.113.0.203.in-addr.arpa PTR',
        parent: null,
        depth: 1,
      },
      {
        index: 1,
        query: 'mail.example.com',
        type: 'A',
        subject: 'mail.example.com',
        answers: ['198.51.100.9'],
        ttl: 300,
        rcode: 'NOERROR',
        cnames: [],
        server: SERVER,
        dig: 'dig @127.0.0.1 -p 5300 mail.example.com A',
        parent: 0,
        depth: 2,
      },
      {
        index: 2,
        query: HOSTILE_NAME,
        type: 'A',
        subject: HOSTILE_NAME,
        answers: [],
        ttl: null,
        rcode: 'NXDOMAIN',
        cnames: [],
        server: SERVER,
        dig: HOSTILE_DIG,
        parent: 0,
        depth: 2,
      },
      {
        index: 3,
        query: '9.100.51.198.in-addr.arpa',
        type: 'PTR',
        subject: '198.51.100.9',
        answers: ['mail.example.com'],
        ttl: 3600,
        rcode: 'NOERROR',
        cnames: [],
        server: SERVER,
        dig: 'dig @127.0.0.1 -p 5300 9.100.51.198.in-addr.arpa PTR',
        parent: 1,
        depth: 3,
      },
    ],
    tree: {
      kind: 'ip',
      value: '203.0.113.7',
      status: 'fail',
      children: [
        {
          kind: 'name',
          value: 'mail.example.com',
          step: 0,
          type: 'PTR',
          ttl: 3600,
          status: 'warning',
          children: [
            {
              kind: 'ip',
              value: '198.51.100.9',
              step: 1,
              type: 'A',
              ttl: 300,
              status: 'fail',
              wrong: true,
              note: 'mail.example.com points to 198.51.100.9, not to 203.0.113.7',
              children: [
                {
                  kind: 'name',
                  value: 'mail.example.com',
                  step: 3,
                  type: 'PTR',
                  ttl: 3600,
                  status: 'info',
                  end: 'loop',
                  children: [],
                },
              ],
            },
          ],
        },
        {
          kind: 'name',
          value: HOSTILE_NAME,
          step: 0,
          type: 'PTR',
          ttl: 3600,
          status: 'fail',
          end: 'no-data',
          note: 'the name does not exist',
          children: [],
        },
      ],
    },
    loop: true,
    postfix: { reject_unknown_reverse_client_hostname: 'accept', reject_unknown_client_hostname: 'reject' },
    receivers: [
      {
        receiver: 'postfix',
        rule: 'reject_unknown_client_hostname',
        verdict: 'reject',
        reply: '450 4.7.25 Client host rejected: cannot find your hostname, [203.0.113.7]',
        explanation: 'The PTR name does not resolve back to the IP.',
        reference: 'https://www.postfix.org/postconf.5.html#reject_unknown_client_hostname',
      },
      {
        receiver: 'gmail',
        rule: 'PTR with forward confirmation',
        verdict: 'defer',
        reply: `421 4.7.0 [203.0.113.7] ${HOSTILE_NAME}`,
        explanation: 'Gmail requires a PTR record whose name resolves to the IP.',
        reference: 'https://support.google.com/a/answer/81126',
      },
    ],
    findings: [
      {
        code: 'fcrdns-mismatch',
        severity: 'error',
        message: 'mail.example.com does not resolve back to 203.0.113.7',
        dig: 'dig @127.0.0.1 -p 5300 mail.example.com A',
        step: 1,
        fix: {
          description: 'Add an A record for mail.example.com pointing to 203.0.113.7.',
          zone: 'example.com',
          owner: 'mail.example.com',
          type: 'A',
          current: '198.51.100.9',
          proposed: '203.0.113.7',
          record: 'mail.example.com. 3600 IN A 203.0.113.7',
        },
      },
      {
        code: 'ptr-name-missing',
        severity: 'warning',
        message: `PTR name ${HOSTILE_NAME} does not exist`,
        dig: HOSTILE_DIG,
        step: 2,
        fix: {
          description: 'Remove the PTR record.',
          zone: '113.0.203.in-addr.arpa',
          owner: '7.113.0.203.in-addr.arpa',
          type: 'PTR',
          current: HOSTILE_NAME,
          record: `7.113.0.203.in-addr.arpa. 3600 IN PTR ${HOSTILE_NAME}.`,
        },
      },
    ],
    resolvers: [SERVER],
    startedAt: '2025-01-02T03:04:05.000Z',
    elapsedMs: 42,
  };
}

/** A clean pass: one PTR name that comes back to the IP. */
export function passingResult(): RdnsResult {
  return {
    kind: 'rdns',
    ip: '2001:db8::25',
    family: 6,
    reverseName: '5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa',
    ptr: ['mx.example.net'],
    confirmed: ['mx.example.net'],
    fcrdns: 'pass',
    chain: [],
    tree: {
      kind: 'ip',
      value: '2001:db8::25',
      status: 'pass',
      children: [
        {
          kind: 'name',
          value: 'mx.example.net',
          type: 'PTR',
          ttl: 3600,
          status: 'pass',
          children: [
            { kind: 'ip', value: '2001:db8::25', type: 'AAAA', ttl: null, status: 'pass', end: 'closes', children: [] },
          ],
        },
      ],
    },
    loop: false,
    postfix: { reject_unknown_reverse_client_hostname: 'accept', reject_unknown_client_hostname: 'accept' },
    receivers: [],
    findings: [],
    resolvers: [],
    startedAt: '2025-01-02T03:04:05.000Z',
    elapsedMs: 7,
  };
}
