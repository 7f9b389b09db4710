import { Badge, Combobox, Group, Loader, Pill, PillsInput, Text, useCombobox } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { type ClipboardEvent, type KeyboardEvent, useEffect, useState } from 'react';
import { emailProblem } from '../../shared/email-list';
import type { PersonSuggestion } from '../../shared/invitations';
import { limits } from '../../shared/limits';
import { usePeopleSearch } from './invitations-api';
import { addChips, chipsFromText, isSearchText, personChip, type RecipientChip } from './recipient-chips';

interface RecipientInputProps {
  readonly communityId: number;
  readonly chips: readonly RecipientChip[];
  readonly onChange: (chips: RecipientChip[]) => void;
  readonly error?: string;
  /** takes the dialog's first focus */
  readonly autoFocus?: boolean;
}

const stateWords: Record<string, string> = {
  joined: 'already a member',
  invited: 'already invited',
  requested: 'asked to join',
};
const statusWords: Record<string, string> = {
  pending: 'awaiting approval',
  inactive: 'inactive',
  pre_verified: 'pre-verified',
  invited: 'no account yet',
};

const refusalWords: Record<string, string> = {
  already_member: 'already a member',
  already_invited: 'already invited',
  unavailable: 'cannot be invited',
};

/** Admins' suggestions carry the status; a leader's say only whether the person can be invited. */
function suggestionNote(p: PersonSuggestion): string | null {
  return (
    (p.membershipState && stateWords[p.membershipState]) ||
    (p.cannotInviteReason && refusalWords[p.cannotInviteReason]) ||
    (p.status && statusWords[p.status]) ||
    null
  );
}

/**
 * One field for both ways of adding recipients: type part of a name or email and pick from the
 * typeahead, or paste/type addresses and press Tab or Enter to turn them into chips.
 */
export function RecipientInput({ communityId, chips, onChange, error, autoFocus }: RecipientInputProps) {
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() });
  const [text, setText] = useState('');
  const [debounced] = useDebouncedValue(text, 150);
  const searching = isSearchText(debounced) && debounced.trim().length >= limits.typeaheadMinChars;
  const search = usePeopleSearch(communityId, searching ? debounced : '');
  const suggestions = searching ? (search.data ?? []) : [];
  // The suggestions answer what is in the field now (not an earlier fragment still on its way).
  const current = searching && debounced === text && !search.isFetching;

  // The first suggestion is highlighted, so Enter or Tab takes it (the seed's "type the name, select them").
  useEffect(() => {
    if (suggestions.length > 0) combobox.selectFirstOption();
  }, [search.data, searching]);

  const commitText = () => {
    if (!text.trim()) return false;
    onChange(addChips(chips, chipsFromText(text)));
    setText('');
    combobox.closeDropdown();
    return true;
  };

  const pick = (id: string) => {
    const person = suggestions.find((s) => String(s.id) === id);
    if (person) onChange(addChips(chips, [personChip(person)]));
    setText('');
    combobox.closeDropdown();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter' || event.key === 'Tab') {
      if (isSearchText(text) && text.trim().length >= limits.typeaheadMinChars && !text.includes('@')) {
        // A name: take the highlighted (first) suggestion once the search for this text has answered.
        if (current && suggestions.length > 0) {
          event.preventDefault();
          const index = Math.max(combobox.getSelectedOptionIndex(), 0);
          pick(String(suggestions[Math.min(index, suggestions.length - 1)].id));
          return;
        }
        if (!current && text.trim()) {
          event.preventDefault();
          return;
        }
      }
      // An option highlighted with the arrow keys is picked by the combobox itself on Enter.
      if (event.key === 'Enter' && combobox.getSelectedOptionIndex() !== -1 && suggestions.length > 0) return;
      if (commitText()) event.preventDefault();
    } else if (event.key === 'Backspace' && text === '' && chips.length) {
      onChange(chips.slice(0, -1));
    }
  };

  // A pasted list keeps its line breaks as separators (an <input> would drop them).
  const onPaste = (event: ClipboardEvent<HTMLInputElement>) => {
    const pasted = event.clipboardData.getData('text');
    if (!/[\r\n]/.test(pasted)) return;
    event.preventDefault();
    setText((t) => `${t}${t && !/[\s,;]$/.test(t) ? ', ' : ''}${pasted.replace(/\r?\n|\r/g, ', ')}`);
  };

  return (
    <Combobox store={combobox} onOptionSubmit={pick} withinPortal={false}>
      <Combobox.DropdownTarget>
        <PillsInput
          label="Recipients"
          description="Type a name or email to search, or paste addresses (commas, semicolons, spaces or new lines) and press Enter or Tab."
          error={error}
          onClick={() => combobox.openDropdown()}
          rightSection={search.isFetching ? <Loader size="xs" /> : null}
        >
          <Pill.Group mah={220} style={{ overflowY: 'auto' }} data-testid="recipient-chips">
            {chips.map((chip) => (
              <Pill
                key={chip.key}
                withRemoveButton
                onRemove={() => onChange(chips.filter((c) => c.key !== chip.key))}
                removeButtonProps={{ 'aria-label': `Remove ${chipText(chip)}` }}
                data-testid="recipient-chip"
                data-kind={chip.kind}
                title={
                  chip.kind === 'invalid'
                    ? `Not an email address (it ${emailProblem(chip.text) ?? 'is not one'}): it will be skipped`
                    : chip.kind === 'person'
                      ? (chip.email ?? undefined)
                      : undefined
                }
                style={
                  chip.kind === 'invalid'
                    ? {
                        backgroundColor: 'var(--mantine-color-red-1)',
                        color: 'var(--mantine-color-red-9)',
                        textDecoration: 'line-through',
                      }
                    : undefined
                }
              >
                {chipText(chip)}
              </Pill>
            ))}
            <Combobox.EventsTarget>
              <PillsInput.Field
                value={text}
                placeholder={chips.length ? '' : 'Name, email, or a pasted list'}
                aria-label="Add recipients"
                data-autofocus={autoFocus ? true : undefined}
                onChange={(e) => {
                  setText(e.currentTarget.value);
                  combobox.openDropdown();
                  combobox.updateSelectedOptionIndex();
                }}
                onFocus={() => combobox.openDropdown()}
                onBlur={() => {
                  combobox.closeDropdown();
                  // Addresses left in the field count when focus moves on (e.g. to Invite Members);
                  // a bare name fragment stays, as it is a search, not a recipient.
                  if (/[@,;]/.test(text)) commitText();
                }}
                onKeyDown={onKeyDown}
                onPaste={onPaste}
              />
            </Combobox.EventsTarget>
          </Pill.Group>
        </PillsInput>
      </Combobox.DropdownTarget>

      <Combobox.Dropdown hidden={!searching}>
        <Combobox.Options aria-label="People">
          {suggestions.length === 0 ? (
            <Combobox.Empty>
              {search.isFetching ? 'Searching…' : 'Nobody found. Press Enter to add what you typed as an address.'}
            </Combobox.Empty>
          ) : (
            suggestions.map((p) => {
              const note = suggestionNote(p);
              return (
                <Combobox.Option value={String(p.id)} key={p.id}>
                  <Group justify="space-between" wrap="nowrap" gap="xs">
                    <div style={{ minWidth: 0 }}>
                      <Text size="sm" truncate>
                        {`${p.firstName} ${p.lastName}`.trim() || p.email || p.emailHint}
                      </Text>
                      <Text size="xs" c="dimmed" truncate>
                        {[p.email ?? p.emailHint ?? 'no email address', p.memberType].filter(Boolean).join(' · ')}
                      </Text>
                    </div>
                    {note && (
                      <Badge size="xs" variant="light" color={p.membershipState ? 'gray' : 'yellow'}>
                        {note}
                      </Badge>
                    )}
                  </Group>
                </Combobox.Option>
              );
            })
          )}
        </Combobox.Options>
      </Combobox.Dropdown>
    </Combobox>
  );
}

function chipText(chip: RecipientChip): string {
  if (chip.kind === 'person') return chip.label;
  if (chip.kind === 'email') return chip.name ? `${chip.name} <${chip.email}>` : chip.email;
  return chip.text;
}
