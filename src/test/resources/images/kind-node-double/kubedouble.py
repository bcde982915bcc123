"""TEST DOUBLE support shared by the kubeadm, kubelet, kubectl and API server doubles of the kind-node-double image:
call records, kubeconfig reading, and a small HTTPS client that authenticates as the real clients would."""
import base64, json, os, ssl, sys, tempfile, time, http.client, urllib.parse

LOG = "/var/log/dind-doubles"


def now_ms():
    return int(time.time() * 1000)


def record(phase, text):
    os.makedirs(LOG, exist_ok=True)
    with open(os.path.join(LOG, "calls"), "a") as f:
        f.write("%d %s %s\n" % (now_ms(), phase, text))


def fail(message, code=1):
    print(message, file=sys.stderr)
    sys.exit(code)


class Api:
    """An API server client: server URL, CA to verify it with, and a client certificate or a bearer token."""

    def __init__(self, server, ca_pem=None, cert_pem=None, key_pem=None, token=None, verify=True):
        url = urllib.parse.urlsplit(server)
        self.host, self.port = url.hostname, url.port or 443
        self.token = token
        ctx = ssl.create_default_context()
        if not verify:
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
        elif ca_pem:
            ctx.load_verify_locations(cadata=ca_pem)
        if cert_pem:
            d = tempfile.mkdtemp()
            open(d + "/c", "w").write(cert_pem)
            open(d + "/k", "w").write(key_pem)
            ctx.load_cert_chain(d + "/c", d + "/k")
        self.ctx = ctx

    @staticmethod
    def from_kubeconfig(path):
        import yaml
        with open(path) as f:
            conf = yaml.safe_load(f)
        cluster = conf["clusters"][0]["cluster"]
        user = conf["users"][0]["user"]
        dec = lambda k: base64.b64decode(user[k]).decode() if k in user else None
        return Api(cluster["server"], base64.b64decode(cluster["certificate-authority-data"]).decode(),
                   dec("client-certificate-data"), dec("client-key-data"), user.get("token"))

    def call(self, method, path, body=None, timeout=5):
        c = http.client.HTTPSConnection(self.host, self.port, context=self.ctx, timeout=timeout)
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = "Bearer " + self.token
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        try:
            c.request(method, path, data, headers)
            r = c.getresponse()
            text = r.read().decode()
            return r.status, (json.loads(text) if text.startswith("{") else text)
        finally:
            c.close()

    def upsert(self, collection, obj):
        name = obj["metadata"]["name"]
        status, _ = self.call("GET", collection + "/" + name)
        if status == 200:
            return self.call("PUT", collection + "/" + name, obj)
        return self.call("POST", collection, obj)
