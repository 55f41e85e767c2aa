function render({ model, el }) {
  // Play moves the filter across every pixel in raster order. The browser asks for the next step only
  // once the kernel has drawn the last one (it sets "shown"), so a busy or interrupted kernel stops the
  // sweep, and leaving the notebook (this view removed) stops its timer.
  el.classList.add("conv1x1-sweep");
  const button = document.createElement("button");
  button.type = "button";
  const [label, speed] = labelled(document.createElement("span"), "conv1x1-sweep-speed", "select");
  label.textContent = "sweep speed";
  for (const [name, ms] of [["slow", 700], ["medium", 300], ["fast", 80]]) speed.append(new Option(name, String(ms)));
  const status = document.createElement("span");
  status.className = "conv1x1-sweep-status";
  let timer = null;
  function show() {
    const playing = model.get("playing");
    button.textContent = playing ? "⏸ Pause the sweep" : "▶ Play the sweep";
    button.setAttribute("aria-pressed", String(playing));
    speed.value = String(model.get("interval"));
    const step = model.get("step"), count = model.get("count");
    status.textContent = step < 0 ? "" : `pixel ${step + 1} of ${count}`;
  }
  function next() {
    timer = null;
    if (!model.get("playing") || model.get("shown") !== model.get("step")) return;
    const step = model.get("step") + 1;
    if (step >= model.get("count")) { model.set("playing", false); model.save_changes(); return; }
    model.set("step", step);
    model.save_changes();
  }
  function schedule() {
    if (timer === null && model.get("playing") && model.get("shown") === model.get("step"))
      timer = setTimeout(next, model.get("interval"));
  }
  button.addEventListener("click", () => {
    const playing = !model.get("playing");
    model.set("playing", playing);
    if (playing && (model.get("step") < 0 || model.get("step") >= model.get("count") - 1)) model.set("step", 0);
    model.save_changes();
  });
  speed.addEventListener("change", () => { model.set("interval", Number(speed.value)); model.save_changes(); });
  const onChange = () => { show(); schedule(); };
  model.on("change", onChange);
  show();
  schedule();
  el.append(button, label, speed, status);
  return () => { model.off("change", onChange); if (timer !== null) clearTimeout(timer); };
}
export default { render };
