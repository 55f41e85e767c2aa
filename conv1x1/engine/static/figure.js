function render({ model, el }) {
  // The figure is a canvas that the kernel paints in patches: a move sends only the rectangles that
  // changed, packed in one sheet per codec (lossless PNG; JPEG inside photos), drawn in the order sent.
  const canvas = document.createElement("canvas");
  canvas.className = "conv1x1-figure";
  canvas.setAttribute("role", "img");
  canvas.tabIndex = 0;                     // focus it to move the chosen pixel with the arrow keys
  canvas.style.maxWidth = "100%";
  canvas.style.height = "auto";
  // the result after a move, announced politely by a screen reader (visually hidden)
  const live = document.createElement("div");
  live.className = "conv1x1-live";
  live.setAttribute("aria-live", "polite");
  // every number of the figure in words, for a screen reader to open; not read out by default
  const details = document.createElement("details");
  details.className = "conv1x1-figure-details";
  const summary = document.createElement("summary");
  summary.textContent = model.get("summary");
  const text = document.createElement("pre");
  text.style.whiteSpace = "pre-wrap";
  details.append(summary, text);
  const context = canvas.getContext("2d");
  let queue = Promise.resolve();
  // the figure's words come with its pixels, in the same message: the label never runs ahead of the picture
  function describe(words) {
    canvas.setAttribute("aria-label", words.alt);
    canvas.title = model.get("hint");
    text.textContent = words.description;
    details.hidden = !words.description;
  }
  function paint(msg, buffers) {
    if (!msg || msg.kind !== "patch") return;
    const decoded = msg.sheets.map((sheet, k) => createImageBitmap(new Blob([buffers[k]], { type: sheet.mime })));
    queue = queue.then(() => Promise.all(decoded)).then((bitmaps) => {
      if (canvas.width !== msg.width || canvas.height !== msg.height) {
        canvas.width = msg.width;
        canvas.height = msg.height;
        canvas.style.setProperty("--conv1x1-aspect", String(msg.width / msg.height));   // tools/slides.py's fit
      }
      bitmaps.forEach((bitmap, k) => {
        for (const [sx, sy, w, h, x, y] of msg.sheets[k].rects) context.drawImage(bitmap, sx, sy, w, h, x, y, w, h);
        bitmap.close();
      });
      canvas.dataset.frame = String(msg.frame);
      describe(msg.words);
      if (msg.announce) live.textContent = msg.words.live;
    }).catch((err) => console.error("conv1x1 figure:", err));
  }
  model.on("msg:custom", paint);
  canvas.addEventListener("click", (event) => {
    const box = canvas.getBoundingClientRect();
    if (!box.width || !box.height) return;
    model.send({ event: "click", x: (event.clientX - box.left) * canvas.width / box.width,
                 y: (event.clientY - box.top) * canvas.height / box.height });
  });
  const keys = new Set(["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown"]);
  canvas.addEventListener("keydown", (event) => {
    if (!keys.has(event.key) || !model.get("arrows")) return;
    event.preventDefault();
    model.send({ event: "key", key: event.key });
  });
  const unguard = guardKeys(canvas, [...keys]);
  describe({ alt: "", description: "" });
  el.append(canvas, live, details);
  // Presented with jupyterlab-deck (its notebook panel then has the class jp-Deck): ask the kernel for
  // the figure's slide layout (larger text, fewer parts), and for the notebook layout when the talk ends.
  // (null at first: a new view always says which layout it shows, so a page reloaded during a talk,
  // or the notebook reopened after one, gets its figure back in the notebook layout)
  let panel = null, watcher = null, presenting = null;
  const follow = () => {
    const now = panel.classList.contains("jp-Deck");
    if (now === presenting) return;
    presenting = now;
    model.send({ event: "layout", name: now ? "slides" : "notebook" });
  };
  // How much of its notebook cell lies above the figure (code, text, controls): a slide's stylesheet
  // (tools/slides.py) sizes the figure to the height left under it, with --conv1x1-aspect.
  const place = () => {
    const scope = canvas.closest(".jp-Cell") || el.parentElement;
    if (!scope) return;
    const above = canvas.getBoundingClientRect().top - scope.getBoundingClientRect().top;
    canvas.style.setProperty("--conv1x1-above", `${Math.max(0, Math.round(above))}px`);
    if (panel === null && (panel = canvas.closest(".jp-NotebookPanel")) !== null) {
      watcher = new MutationObserver(follow);
      watcher.observe(panel, { attributes: true, attributeFilter: ["class"] });
      follow();
    }
  };
  const resized = new ResizeObserver(place);
  resized.observe(el.parentElement || el);
  model.send({ event: "ready" });          // a new view: ask for the whole frame
  return () => {
    model.off("msg:custom", paint);
    resized.disconnect();
    if (watcher !== null) watcher.disconnect();
    unguard();
  };
}
export default { render };
