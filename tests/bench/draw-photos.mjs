// Draws the demo store's product photos (demo-site/products/*.jpg) in
// Chromium's canvas and writes them as JPEG: studio-style stand-ins, with a
// photo's grain and so about a shop's product photo's weight (60-70 KB at
// 1200x900), since the bench's Lighthouse page measures what the widget
// takes from the page's largest element, its photo. Run once, from tests/:
//   node bench/draw-photos.mjs ../demo-site/products
// Chromium: env CHROMIUM, else /usr/bin/chromium.
import { chromium } from "playwright-core";
import { writeFileSync } from "node:fs";
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium" });
const page = await browser.newPage();
const out = process.argv[2] || "../demo-site/products";
for (const kind of ["trail-runner-2", "plant-protein", "yoga-mat-pro"]) {
  const data = await page.evaluate((kind) => {
    const W = 1200, H = 900, c = document.createElement("canvas");
    c.width = W; c.height = H;
    const g = c.getContext("2d");
    // Backdrop: a lit studio sweep.
    const bg = g.createRadialGradient(W * 0.45, H * 0.35, 50, W * 0.5, H * 0.5, W * 0.8);
    bg.addColorStop(0, "#f4f1ea"); bg.addColorStop(1, "#cfd8cf");
    g.fillStyle = bg; g.fillRect(0, 0, W, H);
    // Shadow on the floor.
    g.fillStyle = "rgba(40,50,40,0.28)";
    g.beginPath(); g.ellipse(W / 2, H * 0.8, W * 0.36, 38, 0, 0, 7); g.fill();
    const shade = (x0, y0, x1, y1, a, b) => { const l = g.createLinearGradient(x0, y0, x1, y1); l.addColorStop(0, a); l.addColorStop(1, b); return l; };
    if (kind === "trail-runner-2") {
      // Sole.
      g.fillStyle = shade(0, 600, 0, 700, "#3b3b3b", "#151515");
      g.beginPath(); g.moveTo(230, 640); g.quadraticCurveTo(220, 700, 330, 705); g.lineTo(930, 705); g.quadraticCurveTo(1010, 700, 990, 630); g.closePath(); g.fill();
      for (let x = 260; x < 980; x += 34) { g.fillStyle = "#0d0d0d"; g.fillRect(x, 690, 18, 16); }
      // Upper.
      g.fillStyle = shade(300, 300, 900, 650, "#e2573b", "#a8321f");
      g.beginPath(); g.moveTo(240, 640); g.quadraticCurveTo(250, 470, 420, 420); g.quadraticCurveTo(540, 390, 610, 300);
      g.quadraticCurveTo(700, 260, 760, 330); g.quadraticCurveTo(900, 470, 985, 560); g.quadraticCurveTo(1010, 620, 985, 640); g.closePath(); g.fill();
      // Heel, collar, laces, stripe.
      g.fillStyle = "#2c2c2c"; g.beginPath(); g.ellipse(690, 320, 70, 26, 0.5, 0, 7); g.fill();
      g.strokeStyle = "#f6f2e8"; g.lineWidth = 9; g.lineCap = "round";
      for (let i = 0; i < 5; i++) { g.beginPath(); g.moveTo(560 - i * 38, 360 + i * 30); g.lineTo(620 - i * 38, 410 + i * 28); g.stroke(); }
      g.strokeStyle = "#f4c542"; g.lineWidth = 22;
      g.beginPath(); g.moveTo(420, 600); g.quadraticCurveTo(640, 520, 860, 600); g.stroke();
    } else if (kind === "plant-protein") {
      g.fillStyle = shade(420, 0, 780, 0, "#5d8b4a", "#355a2a");
      g.beginPath(); g.roundRect(420, 260, 360, 460, 40); g.fill();
      g.fillStyle = shade(420, 0, 780, 0, "#f2efe4", "#cfcabb");
      g.beginPath(); g.roundRect(400, 200, 400, 90, 20); g.fill();
      g.fillStyle = "#f6f2e8"; g.beginPath(); g.roundRect(460, 400, 280, 200, 14); g.fill();
      g.fillStyle = "#355a2a"; g.font = "bold 54px sans-serif"; g.textAlign = "center"; g.fillText("PLANT", 600, 480); g.font = "36px sans-serif"; g.fillText("protein", 600, 540);
    } else {
      g.fillStyle = shade(0, 380, 0, 700, "#7b5ea7", "#4b3470");
      g.beginPath(); g.roundRect(200, 560, 620, 110, 20); g.fill();
      g.fillStyle = shade(800, 380, 1000, 700, "#9b7fc6", "#5b4283");
      g.beginPath(); g.ellipse(860, 560, 150, 150, 0, 0, 7); g.fill();
      g.strokeStyle = "#4b3470"; g.lineWidth = 6;
      for (let r = 30; r < 150; r += 22) { g.beginPath(); g.arc(860, 560, r, 0, 7); g.stroke(); }
    }
    // Grain, as a photo has (and its weight: about a phone shop's hero).
    const img = g.getImageData(0, 0, W, H), d = img.data;
    let s = 7;
    for (let i = 0; i < d.length; i += 4) {
      s = (s * 1103515245 + 12345) & 0x7fffffff;
      const n = ((s >> 16) % 13) - 6;
      d[i] += n; d[i + 1] += n; d[i + 2] += n;
    }
    g.putImageData(img, 0, 0);
    return c.toDataURL("image/jpeg", 0.72);
  }, kind);
  const bytes = Buffer.from(data.split(",")[1], "base64");
  writeFileSync(`${out}/${kind}.jpg`, bytes);
  console.log(kind, bytes.length);
}
await browser.close();
