# The launcher's helper: starts the agent's child processes, so that the agent never forks
# itself (see README.md). Requests and answers are frames on stdin and stdout:
#   frame    = N length, payload
#   request  = N id, s mode, s cwd, s input, N timeout ms, N count, count × s "K=V", N count, count × s argv
#   answer   = N id, l exit code (-1: killed), l signal, s stdout, s stderr, s sync line
# where s is N length + bytes. Mode "run" answers once the process exited and its output ended;
# "sync3" gives the process a pipe on fd 3 and answers with the first line written there
# (conmon's _OCI_SYNCPIPE), not waiting for a process that daemonizes and keeps its pipes.
# Modes "mount" (argv: source, target, fstype, flags, data), "umount" (target) and "netns"
# (target) are system calls made here, no process started: the answer's exit code is 0 or the
# errno, its stderr the errno's text.
use strict;
use warnings;
use Config;
use POSIX qw(:sys_wait_h);
use IO::Select;
use Fcntl qw(F_GETFL F_SETFL O_NONBLOCK);

binmode STDIN; binmode STDOUT; $| = 1;
my $readers = IO::Select->new(\*STDIN);
my $writers = IO::Select->new();
my (%jobs, %streams, %exited);
my $requests = '';
$SIG{CHLD} = sub { };
$SIG{PIPE} = 'IGNORE';

# Node has no binding for these calls; a process per call (mount, umount, unshare) costs a fork
# and an exec, several per pod.
my %SYS = $Config{archname} =~ /^aarch64/
  ? (mount => 40, umount2 => 39, unshare => 97, setns => 268)
  : (mount => 165, umount2 => 166, unshare => 272, setns => 308);
my ($CLONE_NEWNET, $MS_BIND) = (0x40000000, 4096);
open(my $node_netns, '<', '/proc/self/ns/net') or die "launcher: /proc/self/ns/net: $!\n";

sub take_n { my ($r) = @_; return unpack('N', substr($$r, 0, 4, '')); }
sub take_s { my ($r) = @_; my $n = take_n($r); return substr($$r, 0, $n, ''); }
sub lv { return pack('N', length($_[0])) . $_[0]; }
sub nonblocking { my ($fh) = @_; fcntl($fh, F_SETFL, fcntl($fh, F_GETFL, 0) | O_NONBLOCK); }

sub start {
  my ($p) = @_;
  my %job = (id => take_n(\$p), mode => take_s(\$p), cwd => take_s(\$p), input => take_s(\$p), timeout => take_n(\$p));
  my @env = map { take_s(\$p) } 1 .. take_n(\$p);
  my @argv = map { take_s(\$p) } 1 .. take_n(\$p);
  if ($job{mode} =~ /^(mount|umount|netns)$/) {
    my $ok = call($job{mode}, @argv);
    answer(\%job, $ok ? 0 : $! + 0, 0, $ok ? '' : "$!");
    return;
  }
  pipe(my $in_r, my $in_w); pipe(my $out_r, my $out_w); pipe(my $err_r, my $err_w);
  my ($sync_r, $sync_w); pipe($sync_r, $sync_w) if $job{mode} eq 'sync3';
  my $pid = fork();
  if (!defined $pid) { answer(\%job, -1, 0, "launcher: fork: $!\n"); return; }
  if ($pid == 0) {
    my $quiet = $job{mode} eq 'sync3';
    open(STDIN, $quiet ? '<' : '<&', $quiet ? '/dev/null' : $in_r);
    open(STDOUT, $quiet ? '>' : '>&', $quiet ? '/dev/null' : $out_w);
    open(STDERR, '>&', $err_w);
    POSIX::dup2(fileno($sync_w), 3) if $sync_w;
    for (@env) { my ($k, $v) = split(/=/, $_, 2); $ENV{$k} = $v; }
    if ($job{cwd} ne '' && !chdir($job{cwd})) { print STDERR "launcher: chdir $job{cwd}: $!\n"; POSIX::_exit(127); }
    { no warnings 'exec'; exec { $argv[0] } @argv; }
    print STDERR "launcher: cannot run $argv[0]: $!\n";
    POSIX::_exit(127);
  }
  close($_) for grep { defined } ($in_r, $out_w, $err_w, $sync_w);
  @job{qw(pid out err sync open)} = ($pid, '', '', undef, 0);
  $job{deadline} = $job{timeout} > 0 ? time() + $job{timeout} / 1000 : 0;
  $jobs{$pid} = \%job;
  for ([$out_r, 'out'], [$err_r, 'err'], $sync_r ? [$sync_r, 'syncbuf'] : ()) {
    my ($fh, $kind) = @$_;
    nonblocking($fh); $readers->add($fh); $streams{fileno($fh)} = [$fh, \%job, $kind]; $job{open}++;
  }
  $job{syncbuf} = '' if $sync_r;
  if (length($job{input}) > 0) { nonblocking($in_w); $writers->add($in_w); $job{in} = $in_w; } else { close($in_w); }
}

sub call {
  my ($mode, @args) = @_;
  if ($mode eq 'mount') {
    my ($source, $target, $fstype, $flags, $data) = @args;
    return syscall($SYS{mount}, $source, $target, $fstype, $flags + 0, length($data) ? $data : 0) == 0;
  }
  my ($target) = @args;
  return syscall($SYS{umount2}, $target, 0) == 0 if $mode eq 'umount';
  # A new network namespace kept by a bind mount, as `unshare --net=FILE` makes it; this process
  # returns to the node's before it starts anything else.
  return 0 if syscall($SYS{unshare}, $CLONE_NEWNET) != 0;
  my ($self, $none) = ('/proc/thread-self/ns/net', 'none');
  my $ok = syscall($SYS{mount}, $self, $target, $none, $MS_BIND, 0) == 0;
  my $errno = $! + 0;
  syscall($SYS{setns}, fileno($node_netns), $CLONE_NEWNET) == 0 or die "launcher: back to the node's network namespace: $!\n";
  $! = $errno;
  return $ok;
}

sub answer {
  my ($job, $code, $signal, $extra) = @_;
  return if $job->{answered}++;
  my $payload = pack('N', $job->{id}) . pack('l l', $code, $signal) . lv($job->{out} // '') . lv(($job->{err} // '') . ($extra // '')) . lv($job->{sync} // '');
  print STDOUT pack('N', length($payload)) . $payload;
}

sub drop_streams {
  my ($job) = @_;
  for my $n (keys %streams) {
    next unless $streams{$n}[1] == $job;
    $readers->remove($streams{$n}[0]); close($streams{$n}[0]); delete $streams{$n};
  }
  $job->{open} = 0;
}

sub settle {
  my ($job) = @_;
  if ($job->{mode} eq 'sync3' && defined $job->{sync}) {
    # conmon daemonized and keeps its pipes: the line is the answer, the process is reaped later.
    answer($job, 0, 0); drop_streams($job);
  }
  my $status = $exited{$job->{pid}};
  return unless defined $status && $job->{open} == 0;
  answer($job, WIFEXITED($status) ? WEXITSTATUS($status) : -1, WIFSIGNALED($status) ? WTERMSIG($status) : 0);
  delete $exited{$job->{pid}}; delete $jobs{$job->{pid}};
}

sub read_stream {
  my ($n) = @_;
  my ($fh, $job, $kind) = @{$streams{$n}};
  my $got = sysread($fh, my $buf, 65536);
  return if !defined $got && $!{EAGAIN};
  if ($got) { $job->{$kind} .= $buf; } else { $readers->remove($fh); close($fh); delete $streams{$n}; $job->{open}--; }
  if ($kind eq 'syncbuf' && !defined $job->{sync}) {
    my $nl = index($job->{syncbuf}, "\n");
    $job->{sync} = substr($job->{syncbuf}, 0, $nl) if $nl >= 0;
  }
  settle($job);
}

sub write_input {
  my ($fh) = @_;
  my ($job) = grep { ($_->{in} // 0) == $fh } values %jobs;
  my $done = !$job;
  if ($job) {
    my $n = syswrite($fh, $job->{input});
    substr($job->{input}, 0, $n, '') if defined $n;
    $done = !defined $n ? !$!{EAGAIN} : length($job->{input}) == 0;
  }
  if ($done) { $writers->remove($fh); close($fh); delete $job->{in} if $job; }
}

while (1) {
  my ($r, $w) = IO::Select->select($readers, $writers, undef, 0.5);
  for my $fh (@{$r // []}) {
    if ($fh == \*STDIN) {
      my $got = sysread(STDIN, my $buf, 65536);
      exit 0 unless $got;
      $requests .= $buf;
      while (length($requests) >= 4) {
        my $len = unpack('N', $requests);
        last if length($requests) < 4 + $len;
        substr($requests, 0, 4, '');
        start(substr($requests, 0, $len, ''));
      }
    } elsif (defined fileno($fh) && $streams{fileno($fh)}) {
      # (a stream of a job settled earlier in this round is closed already)
      read_stream(fileno($fh));
    }
  }
  write_input($_) for @{$w // []};
  while ((my $pid = waitpid(-1, WNOHANG)) > 0) {
    next unless $jobs{$pid};
    $exited{$pid} = $?;
    settle($jobs{$pid});
  }
  for my $job (values %jobs) {
    kill('KILL', $job->{pid}) if $job->{deadline} && time() > $job->{deadline} && !$exited{$job->{pid}};
  }
}
