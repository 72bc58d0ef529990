# A writer that behaves as Suricata's eve-log unix_stream output: one connection, N flow lines at RATE
# lines per second; a write that fails is a record dropped, and it reconnects after 0.5 s (Suricata
# drops what arrives meanwhile; here the line is simply counted dropped). Writes "sent dropped
# reconnects" to OUT when done, and its progress to OUT.progress. With PAUSE_AT and RESUME: sends the
# first half of line PAUSE_AT, waits until the reader has taken every byte sent (SIOCOUTQ is 0), writes
# OUT.paused, waits for the file RESUME, then sends the rest.
import fcntl, os, socket, struct, sys, time
path, n, rate, out = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
pause_at, resume = (int(sys.argv[5]), sys.argv[6]) if len(sys.argv) > 6 else (-1, None)
SIOCOUTQ = 0x5411

def unread(s):
    return struct.unpack("i", fcntl.ioctl(s, SIOCOUTQ, b"\0\0\0\0"))[0]

def pause(s, half):
    s.sendall(half)
    while unread(s) > 0:
        time.sleep(0.01)
    open(out + ".paused", "w").close()
    while not os.path.exists(resume):
        time.sleep(0.01)

def line(i):
    return ('{"timestamp":"2026-12-06T10:00:00.000000+0000","event_type":"flow","src_ip":"10.0.%d.%d",'
            '"src_port":%d,"dest_ip":"192.0.2.1","dest_port":443,"proto":"TCP","flow":{"pkts_toserver":1,'
            '"pkts_toclient":1,"bytes_toserver":1,"bytes_toclient":1}}\n'
            % ((i >> 8) & 255, i & 255, 1024 + i % 60000)).encode()

def connect():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    return s

s = connect()
sent = dropped = reconnects = 0
start = time.monotonic()
for i in range(n):
    due = start + i / rate
    now = time.monotonic()
    if due > now:
        time.sleep(due - now)
    try:
        if s is None:
            raise OSError("not connected")
        if i == pause_at:
            pause(s, line(i)[:40])
            s.sendall(line(i)[40:])
        else:
            s.sendall(line(i))
        sent += 1
    except OSError:
        dropped += 1
        if s is not None:
            s.close()
            s = None
        time.sleep(0.5)
        try:
            s = connect()
            reconnects += 1
        except OSError:
            s = None
    if i % 1000 == 0:
        with open(out + ".progress", "w") as f:
            f.write("%d\n" % i)
if s is not None:
    s.close()
with open(out, "w") as f:
    f.write("%d %d %d\n" % (sent, dropped, reconnects))
