// The part of miniprogram-simulate's API these tests use (the package ships no types).
declare module 'miniprogram-simulate' {
  export interface SimulatedComponent {
    dom: HTMLElement
    /** The component instance: a page's lifecycle methods (onShow, onHide) live here. */
    instance: Record<string, unknown>
    attach(parent: HTMLElement): void
    detach(): void
    querySelector(selector: string): SimulatedComponent | undefined
    dispatchEvent(eventName: string, options?: object): void
  }
  export function load(path: string, options: { rootPath: string; compiler: 'official' | 'simulate' }): string
  export function render(id: string): SimulatedComponent
}
