// The slice of the WebAssembly JavaScript API the schema engine loader uses.
// Node has the global at run time; @types/node (20 and 24 alike) does not declare it.
declare namespace WebAssembly {
  type Exports = Record<string, unknown>;
  interface Instance {
    readonly exports: Exports;
  }
  interface WebAssemblyInstantiatedSource {
    instance: Instance;
  }
  function instantiate(
    bytes: Uint8Array,
    imports?: Record<string, unknown>,
  ): Promise<WebAssemblyInstantiatedSource>;
}
