/**
 * @module The page viewer's view state, shared by its toolbar, its keys and the
 * viewer: zoom steps (fit width is 100 %), fit page, rotation.
 */
import { useCallback, useState } from 'react';

export const ZOOMS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3];
const FIT = 2;

export function useViewer() {
  const [zoomIndex, setZoomIndex] = useState(FIT);
  const [fitPage, setFitPage] = useState(false);
  const [rotation, setRotation] = useState(0);
  const zoomStep = useCallback((step: number) => {
    setFitPage(false);
    setZoomIndex((z) => Math.max(0, Math.min(ZOOMS.length - 1, z + step)));
  }, []);
  const fit = useCallback((kind: 'width' | 'page') => {
    setFitPage(kind === 'page');
    if (kind === 'width') setZoomIndex(FIT);
  }, []);
  const rotate = useCallback(() => setRotation((r) => (r + 90) % 360), []);
  return {
    zoom: ZOOMS[zoomIndex] ?? 1,
    fitPage,
    rotation,
    label: fitPage ? 'whole page' : `${Math.round((ZOOMS[zoomIndex] ?? 1) * 100)} %`,
    zoomStep,
    fit,
    rotate,
  };
}
