/** Seconds left of a wait that starts now (and again on restart()), updated each second. */
import { useCallback, useEffect, useState } from 'react';

export function useCountdown(durationMs: number) {
  const [endsAt, setEndsAt] = useState(() => Date.now() + durationMs);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (now >= endsAt) return;
    const timer = window.setTimeout(() => setNow(Date.now()), Math.min(1000, endsAt - now));
    return () => window.clearTimeout(timer);
  }, [now, endsAt]);
  const restart = useCallback(
    (nextDurationMs: number = durationMs) => {
      const start = Date.now();
      setNow(start);
      setEndsAt(start + nextDurationMs);
    },
    [durationMs],
  );
  return { secondsLeft: Math.max(0, Math.ceil((endsAt - now) / 1000)), restart };
}
