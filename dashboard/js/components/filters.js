// components/filters.js — filter definitions shared by several tables.

/** "From" / "To" dates, sent as plain days (the API reads them as days of the org's time zone, both inclusive). */
export function dateRangeFilters() {
  return [
    { name: 'date_from', label: 'From date', type: 'date' },
    { name: 'date_to', label: 'To date', type: 'date' },
  ];
}

export function phoneFilter(label = 'Phone number') {
  return { name: 'phone_number', label, type: 'tel', placeholder: '+12125551234', inputmode: 'tel', autocomplete: 'off' };
}

export function selectFilter(name, label, options) {
  return { name, label, type: 'select', options: [{ value: '', label: 'All' }, ...options.map((o) => (typeof o === 'object' ? o : { value: o, label: o.charAt(0).toUpperCase() + o.slice(1) }))] };
}
