"""The browser tests' own checks can fail: each is shown catching what it is there to catch.

These run on small pages written here (no server), so they are quick.
"""

from __future__ import annotations

from kit_browser import moved_and_redrawn

# A stand-in for a dashboard: a slider handle as ipywidgets draws it, and a chart as vega-embed
# draws it (an svg whose data marks carry the class role-mark).
DASHBOARD = """
<div id="cell">
  <div class="jupyter-widgets widget-slider"><label class="widget-label">batch</label>
    <div class="noUi-handle" tabindex="0" role="slider" aria-valuenow="1" aria-valuemax="9"></div>
  </div>
  <div class="vega-embed"><svg class="marks"><g class="role-axis"><path d="M0,0"/></g>
    <g class="role-mark"><path d="M0,0L10,10"/></g></svg></div>
</div>
<script>
  // The slider moves on PageUp; what the chart then does is set by window.redraw.
  (() => {
  const handle = document.querySelector('.noUi-handle');
  handle.addEventListener('keydown', (event) => {
    if (event.key !== 'PageUp') return;
    handle.setAttribute('aria-valuenow', String(Number(handle.getAttribute('aria-valuenow')) + 5));
    setTimeout(() => {
      if (window.redraw === 'none') return;
      const path = window.redraw === 'other data' ? 'M0,0L20,20' : 'M0,0L10,10';
      const axis = window.redraw === 'only the axis' ? 'M5,5' : 'M0,0';
      document.querySelector('.vega-embed').innerHTML = '<svg class="marks"><g class="role-axis">'
        + `<path d="${axis}"/></g><g class="role-mark"><path d="${path}"/></g></svg>`;
    }, 50);
  });
  })();
</script>
"""


def _move(page, redraw: str) -> bool:
    page.set_content(DASHBOARD)
    page.evaluate("(how) => { window.redraw = how; }", redraw)
    move, redrawn = moved_and_redrawn(page, page.locator("#cell"), timeout_ms=1500)
    assert (move.control, move.key, move.before, move.after) == ("batch", "PageUp", "1 (1)", "6 (6)")
    return redrawn


def test_a_redraw_with_other_data_counts(page_and_log):
    page, _ = page_and_log
    assert _move(page, "other data")


def test_no_redraw_or_a_redraw_of_the_same_data_does_not_count(page_and_log):
    page, _ = page_and_log
    assert not _move(page, "none")
    assert not _move(page, "same data")
    assert not _move(page, "only the axis")


def test_requests_off_the_machine_are_caught(page_and_log):
    page, log = page_and_log
    page.set_content(
        '<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/font-awesome@4.5.0/css/font-awesome.min.css">'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
    )
    page.wait_for_timeout(500)
    assert log.off_machine() == ["https://cdn.jsdelivr.net/npm/font-awesome@4.5.0/css/font-awesome.min.css"]
