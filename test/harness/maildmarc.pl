#!/usr/bin/perl
# Mail::DMARC (Debian's libmail-dmarc-perl, a DMARC implementation in Perl) as the reference DMARC
# evaluator of the message-check tests, its DNS pointed at the test BIND only.
#
#   maildmarc.pl PORT < case.json     case: {"from": "example.org", "spf": [{"domain", "scope", "result"}],
#                                             "dkim": [{"domain", "selector", "result"}], "ip": "192.0.2.7"}
#
# Prints one JSON object: the result, the disposition, which identifier aligned and how, and the
# policy it found (the record's domain, p, sp, pct, adkim, aspf). pct must be 100 in the tests:
# Mail::DMARC samples pct with rand().
use strict;
use warnings;
use JSON::PP;
use Net::DNS::Resolver;
use Mail::DMARC::PurePerl;

my $port = shift @ARGV or die "usage: maildmarc.pl PORT < case.json\n";
my $case = do { local $/; JSON::PP->new->decode(<STDIN>) };

my $dmarc = Mail::DMARC::PurePerl->new();
$dmarc->set_resolver(Net::DNS::Resolver->new(nameservers => ['127.0.0.1'], port => $port, recurse => 1, dnsrch => 0, defnames => 0, udp_timeout => 3, tcp_timeout => 3, retry => 2, retrans => 1));
$dmarc->source_ip($case->{ip});
$dmarc->envelope_to('example.com');
$dmarc->envelope_from($case->{envelope_from}) if $case->{envelope_from};
$dmarc->header_from($case->{from});
$dmarc->dkim($case->{dkim});
$dmarc->spf($case->{spf});
my $r = $dmarc->validate();
my $p = eval { $r->published };
my $reasons = eval { $r->reason } || [];
my @reasons = ref $reasons eq 'ARRAY' ? @$reasons : ($reasons);
my $out = {
    result      => $r->result,
    disposition => $r->disposition,
    dkim        => $r->dkim // '',
    spf         => $r->spf // '',
    dkim_align  => eval { $r->dkim_align } // '',
    spf_align   => eval { $r->spf_align } // '',
    reason      => join('; ', map { ($_->type // '') . ' ' . ($_->comment // '') } @reasons),
    policy      => $p ? { domain => $p->domain, p => $p->p, sp => $p->sp, pct => $p->pct, adkim => $p->adkim, aspf => $p->aspf } : undef,
    subdomain   => $dmarc->is_subdomain ? JSON::PP::true : JSON::PP::false,
};
print JSON::PP->new->canonical->encode($out), "\n";
