// Builds every chart of the page from its canvas's data-chart attribute (escaped JSON written by the server):
// no inline script, so the Content-Security-Policy stays strict. Spec: { type: 'bar' | 'line', labels,
// datasets: [{ label, data, notes? }], stacked?, percent?, yTitle?, nullLabel? }: a null point is a gap, its
// tooltip says why (the dataset's note for that point, else nullLabel, else the statistical secret).
(() => {
  const COLORS = ['#000091', '#e1000f', '#009081', '#ff9940', '#6a6af4', '#a558a0', '#c3992a', '#666666'];
  for (const canvas of document.querySelectorAll('canvas[data-chart]')) {
    const spec = JSON.parse(canvas.dataset.chart);
    const datasets = spec.datasets.map((dataset, i) => ({
      ...dataset,
      backgroundColor: COLORS[i % COLORS.length],
      borderColor: COLORS[i % COLORS.length],
      spanGaps: false,
    }));
    const value = (v) => (spec.percent ? `${Math.round(v * 100)} %` : v.toLocaleString('fr-FR'));
    new window.Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          x: { stacked: Boolean(spec.stacked) },
          y: {
            stacked: Boolean(spec.stacked),
            beginAtZero: true,
            max: spec.percent ? 1 : undefined,
            ticks: { callback: value },
            title: { display: Boolean(spec.yTitle), text: spec.yTitle },
          },
        },
        plugins: {
          legend: { position: 'bottom' },
          tooltip: {
            callbacks: {
              label: (c) =>
                `${c.dataset.label} : ${c.raw === null ? (c.dataset.notes?.[c.dataIndex] ?? spec.nullLabel ?? 'secret statistique') : value(c.raw)}`,
            },
          },
        },
      },
    });
    canvas.dataset.drawn = 'true';
  }
})();
