-- A misspelling or a renamed label maps to a name that the same role spells
-- canonically (alias_reason canonical or new_measure): otherwise the label would
-- resolve to no member, or to a member nobody declared. Returns the aliases whose
-- canonical name has no canonical row.
with

aliases as (
    select * from {{ ref('stg_reference__label_aliases') }}
),

canonical_spellings as (
    select
        label_role,
        canonical_name
    from aliases
    where alias_reason in ('canonical', 'new_measure')
)

select aliases.*
from aliases
left join canonical_spellings
    on
        aliases.label_role = canonical_spellings.label_role
        and aliases.canonical_name = canonical_spellings.canonical_name
where
    aliases.alias_reason in ('misspelling', 'renamed')
    and canonical_spellings.canonical_name is null
