/**
 * The page at `/`: drop an image or a DICOM series (several files go as one multipart/form-data request), see the
 * overlay and a class legend (plain HTML and script, no build).
 */
export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>bcpseg</title>
<style>
  body { font: 15px/1.4 system-ui, sans-serif; margin: 2rem auto; max-width: 46rem; padding: 0 1rem; color: #222; }
  #drop { border: 2px dashed #888; border-radius: 8px; padding: 2rem; text-align: center; cursor: pointer; }
  #drop.over { background: #eef6ff; border-color: #0072b2; }
  #result { display: flex; gap: 1.5rem; margin-top: 1.5rem; align-items: flex-start; }
  #overlay { max-width: 28rem; width: 100%; image-rendering: pixelated; border: 1px solid #ccc; }
  #legend { list-style: none; padding: 0; margin: 0; }
  #legend li { display: flex; align-items: center; gap: .5rem; margin: .2rem 0; }
  .swatch { width: 1rem; height: 1rem; border-radius: 3px; border: 1px solid #0003; }
  #status { margin-top: 1rem; min-height: 1.4em; }
  .error { color: #b00020; }
  label { margin-right: 1rem; }
</style>
</head>
<body>
<h1>bcpseg</h1>
<p>Drop a PNG (gray or RGB, 8 or 16 bit), a NIfTI volume (.nii, .nii.gz) or the files of a DICOM series to segment it.</p>
<p>
  <label>Model <select id="model"></select></label>
  <label>Token <input id="token" type="password" autocomplete="off" placeholder="(if required)"></label>
</p>
<div id="drop" tabindex="0">Drop an image or a DICOM series here, or click to choose
  <input id="file" type="file" accept=".png,.nii,.gz,.dcm,image/png,application/dicom" multiple hidden>
</div>
<div id="status" role="status"></div>
<div id="result" hidden>
  <img id="overlay" alt="segmentation overlay">
  <ul id="legend" aria-label="classes"></ul>
</div>
<script type="module">
const $ = (id) => document.getElementById(id);
let models = [];
const headers = () => ($("token").value ? { authorization: "Bearer " + $("token").value } : {});
const status = (text, error = false) => { $("status").textContent = text; $("status").className = error ? "error" : ""; };

async function loadModels() {
  const r = await fetch("v1/models", { headers: headers() });
  if (!r.ok) { status("Cannot list models (" + r.status + "); a token may be needed.", true); return; }
  models = (await r.json()).models;
  $("model").replaceChildren(...models.map((m) => new Option(m.id + " (" + m.task + ")", m.id)));
}

function legend(model, counts) {
  $("legend").replaceChildren(...model.classes.map((c) => {
    const li = document.createElement("li");
    li.dataset.index = String(c.index);
    const sw = document.createElement("span");
    sw.className = "swatch";
    sw.style.background = c.index === 0 ? "transparent" : c.color;
    const n = counts ? counts[c.index] : undefined;
    li.append(sw, c.name + (n === undefined ? "" : " — " + n + " px"));
    return li;
  }));
}

function contentType(file) {
  const name = file.name.toLowerCase();
  if (name.endsWith(".png")) return "image/png";
  if (name.endsWith(".nii.gz") || name.endsWith(".gz")) return "application/gzip";
  if (name.endsWith(".nii")) return "application/x-nifti";
  return file.type || "application/octet-stream";
}

// A DICOM Part 10 file: "DICM" after the 128-byte preamble (series files often have no extension).
async function isDicom(file) {
  const b = new Uint8Array(await file.slice(128, 132).arrayBuffer());
  return b.length === 4 && String.fromCharCode(...b) === "DICM";
}

// The files of a drop, a dropped folder's at any depth (the entries are taken during the drop event).
function droppedFiles(dt) {
  const entries = [...dt.items].map((i) => i.webkitGetAsEntry?.()).filter(Boolean);
  if (!entries.some((e) => e.isDirectory)) return Promise.resolve([...dt.files]);
  const out = [];
  const walk = async (entry) => {
    if (entry.isFile) { out.push(await new Promise((ok, no) => entry.file(ok, no))); return; }
    const reader = entry.createReader();
    for (;;) {
      const batch = await new Promise((ok, no) => reader.readEntries(ok, no));
      if (batch.length === 0) return;
      for (const e of batch) await walk(e);
    }
  };
  return Promise.all(entries.map(walk)).then(() => out);
}

async function segment(all) {
  const model = models.find((m) => m.id === $("model").value) ?? models[0];
  if (!model) { status("No model.", true); return; }
  // Several files: the DICOM ones (a folder's notes or DICOMDIR are left out), one request for the series.
  const files = all.length > 1
    ? (await Promise.all(all.map(async (f) => ((await isDicom(f)) && f.name !== "DICOMDIR" ? f : null)))).filter(Boolean)
    : all;
  if (files.length === 0) { status("No DICOM files among the " + all.length + " dropped.", true); return; }
  const file = files[0];
  const dicom = files.length > 1 || (await isDicom(file));
  const name = files.length > 1 ? files.length + " DICOM files" : file.name;
  status("Segmenting " + name + " …");
  let init;
  if (dicom) {
    // A series: one part per file (the browser sets the multipart boundary).
    const form = new FormData();
    for (const f of files) form.append("files", new File([f], f.name, { type: "application/dicom" }));
    init = () => ({ method: "POST", body: form, headers: headers() });
  } else {
    const body = await file.arrayBuffer();
    init = () => ({ method: "POST", body, headers: { ...headers(), "content-type": contentType(file) } });
  }
  const q = "v1/segment?model=" + encodeURIComponent(model.id);
  const [img, summary] = await Promise.all([fetch(q + "&format=overlay", init()), fetch(q + "&format=json&rle=false", init())]);
  if (!img.ok) {
    const e = await img.json().catch(() => ({ error: { message: img.statusText } }));
    status(e.error.code + ": " + e.error.message, true);
    return;
  }
  const url = URL.createObjectURL(await img.blob());
  $("overlay").src = url;
  const counts = summary.ok ? (await summary.json()).classes.map((c) => c.voxels) : undefined;
  legend(model, counts);
  $("result").hidden = false;
  status("Done: " + name);
}

const drop = $("drop");
drop.addEventListener("click", () => $("file").click());
drop.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") $("file").click(); });
drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => {
  e.preventDefault();
  drop.classList.remove("over");
  droppedFiles(e.dataTransfer)
    .then((files) => { if (files.length > 0) return segment(files); })
    .catch((err) => status(String(err), true));
});
$("file").addEventListener("change", () => {
  const files = [...$("file").files];
  if (files.length > 0) segment(files).catch((err) => status(String(err), true));
});
$("token").addEventListener("change", loadModels);
loadModels().catch((err) => status(String(err), true));
</script>
</body>
</html>
`;
