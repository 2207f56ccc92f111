import { VirtuosoMockContext } from 'react-virtuoso';

// jsdom lays nothing out, so the virtualized message list would show no message: this gives it a
// viewport and item height, tall enough for every message of a test to be rendered.
export function ListMeasurements({ children }) {
  return <VirtuosoMockContext.Provider value={{ viewportHeight: 10_000, itemHeight: 40 }}>{children}</VirtuosoMockContext.Provider>;
}
