# The port-forward relay of one pod: started by the agent inside the pod's network namespace
# (nsenter --net=…), it listens on a unix socket in the agent's directory (a file path: reachable
# from the node's namespace). Each connection to it is one forwarded connection:
#
#   agent: "PORT\n" ─▶ relay: connect 127.0.0.1:PORT ─▶ "OK\n" (or "ERR <reason>\n", closed)
#   then bytes both ways, each direction's end passed on as a half-close
#
# One forked child per connection does the copying. The relay ends when its stdin closes (the
# agent stopped or let it go), after IDLE seconds without a connection, or once the process
# holding the namespace (PID, 0 for none) is gone: the pod was stopped, and the relay would keep
# its network namespace alive.
use strict;
use warnings;
use Socket;
use POSIX qw(WNOHANG);

my ($path, $idle, $holder) = @ARGV;
my $block = 128 * 1024;
# Once one direction ended, the other may take this long (socat's -t, as before).
my $half_closed = 3600;

unlink $path;
my $parent = $$;
END { unlink $path if $$ == $parent }
socket(my $listener, AF_UNIX, SOCK_STREAM, 0) or die "socket: $!\n";
bind($listener, pack_sockaddr_un($path)) or die "bind $path: $!\n";
listen($listener, SOMAXCONN) or die "listen: $!\n";
$SIG{PIPE} = 'IGNORE';
my $active = 0;
$SIG{CHLD} = sub { while (waitpid(-1, WNOHANG) > 0) { $active-- } };
$| = 1;
print "ready\n";

my $last = time;
while (1) {
  my $rin = '';
  vec($rin, fileno($listener), 1) = 1;
  vec($rin, fileno(STDIN), 1) = 1;
  my $n = select(my $rout = $rin, undef, undef, 1);
  $last = time if $active > 0;
  if ($n > 0 && vec($rout, fileno(STDIN), 1)) {
    exit 0 unless sysread(STDIN, my $byte, 1);
  }
  if ($n > 0 && vec($rout, fileno($listener), 1) && accept(my $client, $listener)) {
    my $pid = fork();
    if (defined $pid && $pid == 0) {
      close $listener;
      serve($client);
      POSIX::_exit(0);
    }
    $active++ if defined $pid;
    $last = time;
    close $client;
  }
  exit 0 if $active <= 0 && time - $last >= $idle;
  exit 0 if $holder && !kill(0, $holder);
}

sub serve {
  my ($client) = @_;
  my $port = read_line($client);
  socket(my $target, AF_INET, SOCK_STREAM, 0) or return refuse($client, $!);
  connect($target, pack_sockaddr_in($port, inet_aton('127.0.0.1'))) or return refuse($client, $!);
  write_all($client, "OK\n") or return;
  copy_both($client, $target);
}

sub read_line {
  my ($socket) = @_;
  my $line = '';
  while (sysread($socket, my $char, 1)) {
    last if $char eq "\n";
    $line .= $char;
  }
  return $line =~ /^\d+$/ ? $line : 0;
}

sub refuse {
  my ($client, $reason) = @_;
  write_all($client, "ERR $reason\n");
  return;
}

sub copy_both {
  my ($client, $target) = @_;
  my %open = (client => 1, target => 1);
  while ($open{client} || $open{target}) {
    my $rin = '';
    vec($rin, fileno($client), 1) = 1 if $open{client};
    vec($rin, fileno($target), 1) = 1 if $open{target};
    my $timeout = $open{client} && $open{target} ? undef : $half_closed;
    my $n = select(my $rout = $rin, undef, undef, $timeout);
    next if $n < 0 && $!{EINTR};
    return if $n <= 0;
    return unless pass($client, $target, 'client', \%open, $rout) && pass($target, $client, 'target', \%open, $rout);
  }
}

# One read from `from` passed to `to`; its end becomes `to`'s half-close. False: give up.
sub pass {
  my ($from, $to, $name, $open, $ready) = @_;
  return 1 unless $open->{$name} && vec($ready, fileno($from), 1);
  my $got = sysread($from, my $buffer, $block);
  return 0 unless defined $got;
  if ($got == 0) {
    shutdown($to, 1);
    $open->{$name} = 0;
    return 1;
  }
  return write_all($to, $buffer);
}

sub write_all {
  my ($socket, $data) = @_;
  while (length $data) {
    my $wrote = syswrite($socket, $data);
    return 0 unless defined $wrote;
    substr($data, 0, $wrote) = '';
  }
  return 1;
}
