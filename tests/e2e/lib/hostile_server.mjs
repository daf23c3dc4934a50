// A hostile https page on another loopback origin (https://localhost:<port>): a name, not an IP
// literal, so the extension's pre-connection check leaves it alone, as it leaves any website.
// Each path serves one attack page; `frameUrl` is what the attack frames or opens.
import { startTestOrigin } from './test_origin.mjs';

// The framing page: the extension's check page in a full-viewport frame (a clickjacker would
// make it transparent under a decoy; visible here so the test can look inside).
function framingPage(src) {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Free receipts</title></head>
<body style="margin:0"><iframe id="victim" src=${JSON.stringify(src)} style="border:0;width:100vw;height:100vh"></iframe>
<script>
  const frame = document.getElementById('victim');
  window.frameEvents = [];
  frame.addEventListener('load', () => window.frameEvents.push('load'));
  frame.addEventListener('error', () => window.frameEvents.push('error'));
</script></body></html>`;
}

export async function startHostileServer() {
  let target = 'about:blank';
  const origin = await startTestOrigin(
    (req, res) => {
      if (req.url.startsWith('/frame')) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(framingPage(target));
      } else if (req.url.startsWith('/landing')) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<!doctype html><title>attacker landing</title><p id="landed">landed</p>');
      } else {
        res.writeHead(404).end();
      }
    },
    { name: 'localhost' },
  );
  return {
    ...origin,
    // What the next /frame page frames.
    setFrameTarget: (url) => {
      target = url;
    },
  };
}
