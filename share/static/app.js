/* chitieu - progressive enhancement only; every page works without it.
 * - selects marked data-autosubmit submit their form on change;
 * - the entry grid checks numbers as you type (decimal comma in Vietnamese, dot in English)
 *   and warns when a value moves more than tenfold from the previous period (data-prev);
 * - the entry grid moves between rows with Enter and the arrow keys;
 * - a table box that scrolls sideways takes the keyboard focus when nothing inside can. */
'use strict';
(function () {
  document.querySelectorAll('select[data-autosubmit]').forEach(function (s) {
    s.addEventListener('change', function () { s.form.submit(); });
  });
  // A table box that scrolls sideways and holds nothing focusable can be scrolled with the
  // keyboard once it takes focus; it is named after the heading above it.
  document.querySelectorAll('.scroll').forEach(function (box) {
    if (box.scrollWidth <= box.clientWidth || box.querySelector('a[href], input, select, button, [tabindex]')) return;
    box.tabIndex = 0;
    box.setAttribute('role', 'region');
    var h = box.previousElementSibling;
    box.setAttribute('aria-label', h && /^H[1-6]$/.test(h.tagName) ? h.textContent : document.title);
  });
  // The entry grid from the keyboard: Enter or the down arrow moves to the same field of the next
  // indicator, Shift+Enter or the up arrow to the previous one (Tab goes on to the comment);
  // with Ctrl (or Cmd) held the key is left to the browser.
  var grid = document.querySelector('#entry table.entry');
  if (grid) grid.addEventListener('keydown', function (ev) {
    var inp = ev.target;
    if (inp.tagName !== 'INPUT' || !/^[vc]_/.test(inp.name)) return;
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var down = ev.key === 'ArrowDown' || (ev.key === 'Enter' && !ev.shiftKey);
    var up = ev.key === 'ArrowUp' || (ev.key === 'Enter' && ev.shiftKey);
    if (!down && !up) return;
    var fields = Array.prototype.slice.call(grid.querySelectorAll('input[name^="' + inp.name.charAt(0) + '_"]'));
    var next = fields[fields.indexOf(inp) + (down ? 1 : -1)];
    ev.preventDefault();
    if (next) { next.focus(); next.select(); }
  });
  var form = document.getElementById('entry');
  if (!form) return;
  var en = form.dataset.lang === 'en';
  var dec = en ? '.' : ',', grp = en ? ',' : '.';
  var re = en ? /^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$/ : /^-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$/;
  function parse(t) {
    t = t.trim();
    if (!re.test(t)) return NaN;
    return Number(t.split(grp).join('').replace(dec, '.'));
  }
  function check(inp) {
    var hint = inp.parentNode.querySelector('.hint');
    var t = inp.value.trim(), msg = '', bad = false;
    if (t !== '') {
      var v = parse(t);
      if (isNaN(v)) {
        bad = true;
        msg = en ? 'Not a number (e.g. 1,234.5)' : 'Không phải số (ví dụ 1.234,5)';
      } else if (inp.dataset.prev !== undefined) {
        var p = Math.abs(Number(inp.dataset.prev)), a = Math.abs(v);
        if ((p > 0 && a > 10 * p) || (a > 0 && p > 10 * a))
          msg = en ? 'More than tenfold change from the previous period: please check'
                   : 'Thay đổi hơn 10 lần so với kỳ trước: hãy kiểm tra';
      }
    }
    inp.classList.toggle('invalid', bad);
    inp.setCustomValidity(bad ? msg : '');
    if (hint) { hint.textContent = msg; hint.classList.toggle('bad', bad); }
  }
  form.querySelectorAll('input[name^="v_"]').forEach(function (inp) {
    inp.addEventListener('input', function () { check(inp); });
    check(inp);
  });
})();
