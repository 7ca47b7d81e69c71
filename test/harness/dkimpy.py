#!/usr/bin/python3
# dkimpy (Debian's python3-dkim), the reference signer and verifier of the DKIM tests, pointed at the
# test BIND. Run with /usr/bin/python3 (the system Python that python3-dkim installs into).
#
#   dkimpy.py sign --key FILE --selector S --domain D [--algo A] [--hcanon C] [--bcanon C]
#                  [--headers from,to,subject] [--length] [--expired SECONDS]   < message > signed
#   dkimpy.py verify --port PORT                                                 < message
#
# verify prints one JSON object per line, for each DKIM-Signature (topmost first): the verdict of
# dkimpy's own command-line verifier (dkim.dkimverify.main, as `dkimverify --index N` runs it) and
# the reason dkimpy logged. DNS goes to 127.0.0.1:PORT only: dnspython's default resolver is
# replaced before dkimpy asks anything.
import argparse
import io
import json
import logging
import sys
import time

import dkim
import dkim.dkimverify
import dns.resolver


def sign(args):
    message = sys.stdin.buffer.read()
    key = open(args.key, 'rb').read().strip()
    headers = [h.encode() for h in args.headers.split(',')] if args.headers else None
    canon = (args.hcanon.encode(), args.bcanon.encode())
    if args.expired is None:
        sig = dkim.sign(message, args.selector.encode(), args.domain.encode(), key,
                        signature_algorithm=args.algo.encode(), canonicalize=canon,
                        include_headers=headers, length=args.length)
    else:
        # dkim.sign has no expiry option: dkimpy's own header generator with t= and x= in the past.
        d = dkim.DKIM(message, signature_algorithm=args.algo.encode())
        d.hasher = dkim.HASH_ALGORITHMS[args.algo.encode()]
        policy = dkim.CanonicalizationPolicy.from_c_value(b'/'.join(canon))
        include = tuple(h.lower() for h in (headers or d.default_sign_headers()))
        body = policy.canonicalize_body(d.body)
        h = dkim.HASH_ALGORITHMS[args.algo.encode()]()
        h.update(body)
        now = int(time.time())
        fields = [
            (b'v', b'1'), (b'a', args.algo.encode()), (b'c', policy.to_c_value()),
            (b'd', args.domain.encode()), (b'i', b'@' + args.domain.encode()), (b'q', b'dns/txt'),
            (b's', args.selector.encode()), (b't', str(now - 2 * args.expired).encode()),
            (b'x', str(now - args.expired).encode()), (b'h', b' : '.join(include)),
            (b'bh', dkim.base64.b64encode(h.digest())), (b'b', b'0' * 60),
        ]
        if args.algo == 'ed25519-sha256':
            import nacl.encoding
            import nacl.signing
            pk = nacl.signing.SigningKey(key, encoder=nacl.encoding.Base64Encoder)
        else:
            pk = dkim.parse_pem_private_key(key)
        sig = b'DKIM-Signature: ' + d.gen_header(fields, include, policy, b'DKIM-Signature', pk)
    sys.stdout.buffer.write(sig + message)


def verify(args):
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = ['127.0.0.1']
    resolver.port = args.port
    resolver.lifetime = 5
    dns.resolver.default_resolver = resolver
    message = sys.stdin.buffer.read()
    count = len([1 for name, _ in dkim.DKIM(message).headers if name.lower() == b'dkim-signature'])
    for index in range(count):
        # dkimverify's main(), exactly as the command runs it, with the message on its stdin.
        out = io.StringIO()
        sys.stdin = io.TextIOWrapper(io.BytesIO(message))
        sys.argv = ['dkimverify', '--index', str(index)]
        stdout, sys.stdout = sys.stdout, out
        try:
            dkim.dkimverify.main()
            code = 0
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else 1
        except Exception as e:  # dkimpy raises on some malformed input
            out.write('exception: %s' % e)
            code = 3
        finally:
            sys.stdout = stdout
        # The reason: dkimpy logs it; its exceptions carry it too.
        log = io.StringIO()
        logger = logging.getLogger('dkimpy-reason-%d' % index)
        logger.addHandler(logging.StreamHandler(log))
        logger.setLevel(logging.INFO)
        try:
            ok = dkim.DKIM(message, logger=logger).verify(idx=index)
            reason = log.getvalue().strip()
        except dkim.DKIMException as e:
            ok = False
            reason = str(e)
        print(json.dumps({'index': index, 'cli': out.getvalue().strip(), 'exit': code, 'ok': bool(ok), 'reason': reason}))
        sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest='cmd', required=True)
    s = sub.add_parser('sign')
    s.add_argument('--key', required=True)
    s.add_argument('--selector', required=True)
    s.add_argument('--domain', required=True)
    s.add_argument('--algo', default='rsa-sha256')
    s.add_argument('--hcanon', default='relaxed')
    s.add_argument('--bcanon', default='relaxed')
    s.add_argument('--headers')
    s.add_argument('--length', action='store_true')
    s.add_argument('--expired', type=int)
    v = sub.add_parser('verify')
    v.add_argument('--port', type=int, required=True)
    args = parser.parse_args()
    sign(args) if args.cmd == 'sign' else verify(args)


if __name__ == '__main__':
    main()
