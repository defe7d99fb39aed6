{{ stage_report_seed(
    ref('report_tiltak_hovedgrupper_og_fylke'),
    table_code='tiltak_hovedgruppe_fylke'
) }}
