// Errors about input data name the file, the line (1-based) and the field.

/** Where in an input a problem was found. */
export interface DataLocation {
  file: string;
  line?: number;
  field?: string;
}

/** An input file (or one record in it) is missing, unreadable or malformed. */
export class DataError extends Error {
  readonly location: DataLocation;
  constructor(location: DataLocation, problem: string) {
    const where = [location.file, location.line !== undefined ? `line ${location.line}` : '', location.field !== undefined ? `field "${location.field}"` : '']
      .filter(Boolean)
      .join(' ');
    super(`${where}: ${problem}`);
    this.name = 'DataError';
    this.location = location;
  }
}
