# A downstream reader listening on PATH: sums flow_count over the aggregates eveflow writes into it and
# keeps "flows lines" in PATH.count (python3-minimal has no json module: a regular expression reads it).
import os, re, select, socket, sys
path = sys.argv[1]
os.makedirs(os.path.dirname(path), exist_ok=True)
try:
    os.unlink(path)
except FileNotFoundError:
    pass
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(path)
os.chmod(path, 0o666)  # eveflow runs as its own user; the test's reader as root
srv.listen(4)
count = re.compile(rb'"flow_count":(\d+)')
flows = lines = 0
conns, bufs = [], {}
while True:
    ready, _, _ = select.select([srv] + conns, [], [])
    for c in ready:
        if c is srv:
            k, _ = srv.accept()
            conns.append(k)
            bufs[k] = b""
            continue
        data = c.recv(65536)
        if not data:
            conns.remove(c)
            c.close()
            continue
        bufs[c] += data
        *whole, bufs[c] = bufs[c].split(b"\n")
        for l in whole:
            lines += 1
            m = count.search(l)
            flows += int(m.group(1)) if m else 0
        with open(path + ".count.part", "w") as f:
            f.write("%d %d\n" % (flows, lines))
        os.replace(path + ".count.part", path + ".count")
