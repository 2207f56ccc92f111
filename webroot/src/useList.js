import { useCallback, useEffect, useState } from 'react';

// A list read from the API: null until it arrives; reload() reads it again.
export function useList(load) {
  const [items, setItems] = useState(null);
  const [error, setError] = useState(null);

  const reload = useCallback(
    () =>
      load().then(
        (list) => {
          setItems(list ?? []);
          setError(null);
        },
        (failure) => setError(failure.message),
      ),
    [load],
  );

  useEffect(() => {
    reload();
  }, [reload]);

  return { items, error, reload };
}
