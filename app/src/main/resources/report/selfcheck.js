// Report self-check: records errors and checks that every chart drew its data. Runs offline with no
// dependency; the browser test reads the result from #report-status and the data-rendered attributes.
(function () {
  var errors = [];
  var original = console.error;
  console.error = function () {
    errors.push(Array.prototype.map.call(arguments, String).join(' '));
    return original.apply(console, arguments);
  };
  window.addEventListener('error', function (e) {
    errors.push('error: ' + (e.message || (e.target && e.target.outerHTML) || String(e)));
  }, true);
  window.addEventListener('unhandledrejection', function (e) {
    errors.push('unhandled rejection: ' + e.reason);
  });
  document.addEventListener('securitypolicyviolation', function (e) {
    errors.push('blocked ' + e.violatedDirective + ': ' + e.blockedURI);
  });
  window.addEventListener('load', function () {
    var charts = document.querySelectorAll('svg.chart');
    var ok = 0;
    Array.prototype.forEach.call(charts, function (svg) {
      var drawn = 0;
      Array.prototype.forEach.call(svg.querySelectorAll('.mark'), function (m) {
        var b = m.getBBox();
        if (b.width > 0 || b.height > 0) {
          drawn++;
        }
      });
      var box = svg.getBoundingClientRect();
      var good = drawn > 0 && box.width > 0 && box.height > 0;
      svg.setAttribute('data-rendered', good ? 'ok' : 'empty');
      svg.setAttribute('data-marks', String(drawn));
      if (good) {
        ok++;
      }
    });
    var status = document.getElementById('report-status');
    status.setAttribute('data-charts', String(charts.length));
    status.setAttribute('data-charts-ok', String(ok));
    status.setAttribute('data-errors', String(errors.length));
    status.textContent = errors.join('\n');
    document.body.setAttribute('data-report-ready', 'true');
  });
})();
