// The dashboard's favicon: a yellow diamond, the canary of the header.

export const ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><path d="M8 1 15 8 8 15 1 8z" fill="#f2cc60" stroke="#1f2328"/></svg>';
