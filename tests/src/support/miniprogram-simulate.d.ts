// The part of miniprogram-simulate's API these tests use (the package ships no types).
declare module 'miniprogram-simulate' {
  export interface SimulatedComponent {
    dom: HTMLElement
    attach(parent: HTMLElement): void
    detach(): void
    querySelector(selector: string): SimulatedComponent | undefined
    dispatchEvent(eventName: string, options?: object): void
  }
  export function load(path: string, options: { rootPath: string; compiler: 'official' | 'simulate' }): string
  export function render(id: string): SimulatedComponent
}
