export declare const FERRETDB_VERSION: string;
export declare function ferretdbBinary(): string;
export declare function installFerretdb(options?: { log?: (message: string) => void }): string;
export declare function freePort(): Promise<number>;
export declare function startFerretdb(options: {
  dataDir: string;
  port?: number;
  log?: (message: string) => void;
  timeoutMs?: number;
}): Promise<{ uri: string; port: number; pid: number | undefined; exited: Promise<number | null>; stop(): Promise<void> }>;
