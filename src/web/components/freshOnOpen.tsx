import { useState, type ComponentType } from 'react';

/**
 * A modal whose form starts clean at every opening: the inner component (and its Form.useForm store) is
 * remounted each time the modal opens. antd keeps a form's store for the life of its useForm, so values typed
 * in one opening would otherwise leak into the next (an upload kept the previous document type).
 */
export function freshOnOpen<P extends object>(Inner: ComponentType<P>, isOpen: (p: P) => boolean) {
  function Fresh(p: P) {
    const open = isOpen(p);
    const [n, setN] = useState(0);
    const [was, setWas] = useState(open);
    if (open !== was) {
      // Derived state: React re-renders at once, before committing, with the new key.
      setWas(open);
      if (open) setN(n + 1);
    }
    return <Inner key={n} {...p} />;
  }
  Fresh.displayName = `Fresh(${Inner.displayName ?? Inner.name})`;
  return Fresh;
}
