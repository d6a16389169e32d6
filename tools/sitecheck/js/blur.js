// Take the focus off whatever has it, so the first Tab starts from the top of the page.
() => document.activeElement && document.activeElement.blur()
