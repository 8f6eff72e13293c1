// The browser side of tokenomics.dashboards.redraw.DataSwapChart: draw the widget's Vega-Lite spec
// with vega-embed; when a new spec differs from the drawn one only in its datasets, the values of
// its parameters, its description and the text of its title, update the drawn view in place
// (view.data, view.signal) instead of compiling and drawing a new one.
//
// vega-embed comes from vl-convert's offline bundle (see DataSwapChart.enable_offline), which
// provides `vegaEmbed` without an import.

const TITLE_TEXT = "kit_title_text";
const TITLE_SUBTITLE = "kit_title_subtitle";

// The spec's title as an object, or null.
function titleOf(spec) {
  if (spec.title == null) return null;
  return typeof spec.title === "object" && !Array.isArray(spec.title) ? spec.title : { text: spec.title };
}

// What must match for an in-place update: the spec without its datasets, description, parameter
// values and title text (the presence of a subtitle still counts).
function structure(spec) {
  const { datasets, description, params, title, ...rest } = spec;
  const shape = titleOf(spec);
  if (shape) rest.title = { ...shape, text: true, subtitle: "subtitle" in shape };
  rest.params = (params ?? []).map(({ value, ...param }) => param);
  return JSON.stringify(rest);
}

// The signals an in-place update sets: every parameter with a value, and the title's text.
function signalValues(spec) {
  const values = {};
  for (const param of spec.params ?? []) {
    if ("value" in param && !("select" in param)) values[param.name] = param.value;
  }
  const title = titleOf(spec);
  if (title) {
    values[TITLE_TEXT] = title.text;
    if ("subtitle" in title) values[TITLE_SUBTITLE] = title.subtitle;
  }
  return values;
}

// The spec vega-embed draws: the title's text read from signals, so that it can change in place.
function drawable(spec) {
  const copy = structuredClone(spec);
  const title = titleOf(copy);
  if (title) {
    copy.params = [...(copy.params ?? []), { name: TITLE_TEXT, value: title.text }];
    const shown = { ...title, text: { expr: TITLE_TEXT } };
    if ("subtitle" in title) {
      copy.params.push({ name: TITLE_SUBTITLE, value: title.subtitle });
      shown.subtitle = { expr: TITLE_SUBTITLE };
    }
    copy.title = shown;
  }
  return copy;
}

function showError(el, error) {
  el.innerHTML =
    '<div style="color:red;"><p>JavaScript Error: ' +
    error.message +
    "</p><p>See the javascript console for the full traceback.</p></div>";
}

async function render({ model, el }) {
  let view = null; // the vega view drawn now
  let drawnStructure = null; // structure(spec) of the drawn spec
  let drawnData = {}; // JSON of each drawn dataset, by name
  let embeds = 0; // embeds started, so that a slower, older one is dropped
  let draws = 0; // drawings shown (embeds and in-place updates), for the browser tests
  el.classList.add("kit-swap-chart");
  const drawn = () => {
    draws += 1;
    el.dataset.kitDraws = String(draws);
  };

  const update = async (spec) => {
    for (const [name, values] of Object.entries(spec.datasets ?? {})) {
      const text = JSON.stringify(values);
      if (drawnData[name] !== text) {
        view.data(name, structuredClone(values));
        drawnData[name] = text;
      }
    }
    for (const [name, value] of Object.entries(signalValues(spec))) view.signal(name, value);
    view.description(spec.description ?? null);
    await view.runAsync();
    drawn();
  };

  const embed = async (spec) => {
    const ticket = ++embeds;
    if (view) view.finalize();
    view = null;
    drawnStructure = null;
    const target = document.createElement("div");
    el.replaceChildren(target);
    if (spec == null) return;
    let result;
    try {
      result = await vegaEmbed(target, drawable(spec), structuredClone(model.get("embed_options") ?? {}));
    } catch (error) {
      if (ticket === embeds) showError(el, error);
      return;
    }
    if (ticket !== embeds) {
      result.finalize();
      return;
    }
    view = result.view;
    drawnStructure = structure(spec);
    drawnData = {};
    for (const [name, values] of Object.entries(spec.datasets ?? {})) drawnData[name] = JSON.stringify(values);
    drawn();
    const latest = model.get("spec");
    if (latest !== spec) await draw(); // the spec changed while it was drawn
  };

  const draw = async () => {
    const spec = model.get("spec");
    if (view && spec != null && structure(spec) === drawnStructure) {
      await update(spec);
    } else {
      await embed(spec);
    }
  };

  const redrawAll = () => embed(model.get("spec"));

  model.on("change:spec", draw);
  model.on("change:embed_options", redrawAll);
  await embed(model.get("spec"));
  return () => {
    model.off("change:spec", draw);
    model.off("change:embed_options", redrawAll);
    embeds += 1;
    if (view) view.finalize();
  };
}

export default { render };
