/**
 * @module Admin dashboard: tasks per state, throughput over time (created vs.
 * completed vs. failed per bucket, an SVG bar chart drawn here — no chart library to
 * bundle), the automation rate and the median time tasks wait for and spend in
 * validation. Figures cover the tasks the service still keeps (finished tasks are
 * deleted after the retention period, 72 h by default).
 */
import { useState } from 'react';
import { duration, percent } from '../app/format.ts';
import { useApi } from '../app/useApi.ts';
import { STATES } from './Tasks.tsx';
import type { AdminStatsJson } from '../api/types.ts';

/** The service's own answer type, so the dashboard and the route cannot drift apart. */
type Stats = AdminStatsJson;

const SERIES = [['created', 'Created'], ['completed', 'Completed'], ['failed', 'Failed or timed out']] as const;

function Chart({ data }: { data: Stats['throughput'] }) {
  const W = 900;
  const H = 220;
  const pad = { l: 36, b: 24, t: 10 };
  const max = Math.max(1, ...data.flatMap((d) => [d.created, d.completed, d.failed]));
  const slot = (W - pad.l) / Math.max(1, data.length);
  const bar = Math.max(2, (slot - 4) / 3);
  const y = (v: number) => pad.t + (H - pad.t - pad.b) * (1 - v / max);
  const ticks = [0, Math.round(max / 2), max];
  const total = (k: 'created' | 'completed' | 'failed') => data.reduce((s, d) => s + d[k], 0);
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Throughput: ${total('created')} created, ${total('completed')} completed, ${total('failed')} failed in the period`}>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={pad.l} x2={W} y1={y(t)} y2={y(t)} className="gridline" />
            <text x={pad.l - 6} y={y(t) + 4} textAnchor="end" className="tick">{t}</text>
          </g>
        ))}
        {data.map((d, i) => (
          <g key={d.at} transform={`translate(${pad.l + i * slot + 2},0)`}>
            {SERIES.map(([k], j) => <rect key={k} className={`bar ${k}`} x={j * bar} y={y(d[k])} width={bar - 1} height={H - pad.b - y(d[k])}><title>{`${new Date(d.at).toLocaleString()}: ${d[k]} ${k}`}</title></rect>)}
            {i % Math.ceil(data.length / 8) === 0 && <text x={slot / 2} y={H - 6} textAnchor="middle" className="tick">{new Date(d.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}</text>}
          </g>
        ))}
      </svg>
      <figcaption className="legend">{SERIES.map(([k, label]) => <span key={k}><i className={`swatch ${k}`} />{label} ({total(k)})</span>)}</figcaption>
    </figure>
  );
}

export function Dashboard() {
  const [hours, setHours] = useState(24);
  const stats = useApi<Stats>(`/admin/stats?hours=${hours}`);
  const s = stats.data;
  return (
    <div className="page">
      <div className="page-head">
        <h1>Dashboard</h1>
        <div className="toolbar">
          <label htmlFor="period">Period</label>
          <select id="period" value={hours} onChange={(e) => setHours(Number(e.target.value))}>
            <option value={6}>Last 6 hours</option>
            <option value={24}>Last 24 hours</option>
            <option value={72}>Last 3 days</option>
          </select>
        </div>
      </div>
      {stats.error && <p className="notice error" role="alert">{stats.error}</p>}
      {s && (
        <>
          <section className="cards" aria-label="Tasks per state">
            {STATES.map((st) => (
              <a key={st} className={`stat state-card ${st.replace(/[:]/g, '-')}`} href={`#/admin/tasks`}>
                <span className="stat-value">{s.counts[st] ?? 0}</span>
                <span className="stat-label">{st.replace('pending:', 'pending ').replace(/_/g, ' ')}</span>
              </a>
            ))}
          </section>
          <section className="cards" aria-label="Validation figures">
            <div className="stat big"><span className="stat-value">{percent(s.automation_rate)}</span><span className="stat-label">automation rate — {s.documents_exported - s.documents_validated} of {s.documents_exported} exported documents needed no validation</span></div>
            <div className="stat big"><span className="stat-value">{s.validation_wait_ms_median === null ? '—' : duration(s.validation_wait_ms_median)}</span><span className="stat-label">median wait for validation</span></div>
            <div className="stat big"><span className="stat-value">{s.validation_work_ms_median === null ? '—' : duration(s.validation_work_ms_median)}</span><span className="stat-label">median time in validation ({s.validations_completed} completed)</span></div>
          </section>
          <section className="card">
            <h2>Throughput</h2>
            <Chart data={s.throughput} />
          </section>
        </>
      )}
    </div>
  );
}
