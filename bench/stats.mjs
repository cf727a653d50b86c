// Shared by the benchmarks: the median of a list of numbers (the middle value, or the mean of the two middle ones).
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
