/**
 * @module Page thumbnails, grouped by document so boundaries are visible. Images
 * load lazily (the browser fetches only those scrolled into view) and only after
 * the current page has loaded, so a 20-page task shows its first page first.
 */
import type { SpecPage } from '../api/types.ts';
import type { DraftDoc } from './draft.ts';

interface Props {
  pages: SpecPage[];
  docs: DraftDoc[];
  current: number;
  ready: boolean;
  onSelect(page: number): void;
}

export function Thumbnails({ pages, docs, current, ready, onSelect }: Props) {
  return (
    <nav className="thumbs" aria-label="Pages">
      {docs.map((d, i) => (
        <div key={d.key} className="thumb-doc">
          <div className="thumb-doc-label">{i + 1}. {d.type ?? 'Unknown type'}</div>
          {pages.slice(d.pages[0], d.pages[1] + 1).map((p) => (
            <button
              key={p.index}
              type="button"
              className={p.index === current ? 'thumb current' : 'thumb'}
              aria-current={p.index === current ? 'page' : undefined}
              aria-label={`Page ${p.index + 1}`}
              onClick={() => onSelect(p.index)}
            >
              <span className="thumb-img" style={{ aspectRatio: `${p.width} / ${p.height}` }}>
                {ready && <img src={p.image_url} alt="" loading="lazy" decoding="async" />}
              </span>
              <span className="thumb-no">{p.index + 1}</span>
            </button>
          ))}
        </div>
      ))}
    </nav>
  );
}
